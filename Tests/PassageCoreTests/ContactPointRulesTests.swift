import PassageCore
import Testing

/// The rules a location, phone or contact set by hand passes (ContactPointRules): each refusal
/// names the argument at fault; accepted values come back as the database keeps them.
@Suite("Provider contact point rules")
struct ContactPointRulesTests {
    static func refusal(_ work: () throws -> Void) -> String? {
        do {
            try work()
            return nil
        } catch {
            return (error as? ContactPointProblem)?.argument ?? "\(error)"
        }
    }

    @Test("a location: name, full address or coordinates; coordinates in range with six places kept")
    func locations() throws {
        let location = try ContactPointRules.location(
            type: nil, name: " Sede ", street: "Calle 10", city: "Medellín", region: "Antioquia", postalCode: "050021",
            country: "CO", latitude: "6.25184", longitude: "-75.5")
        #expect(location.type == "physical" && location.name == "Sede")
        #expect(
            location.address?.country == "CO" && location.latitude == "6.251840" && location.longitude == "-75.500000")
        let cases: [(String?, String?, String?, String?, String?, String?, String?, String?, String?, String)] = [
            (nil, nil, nil, nil, nil, nil, nil, nil, nil, "name"),
            ("boat", "x", nil, nil, nil, nil, nil, nil, nil, "type"),
            (nil, String(repeating: "n", count: 201), nil, nil, nil, nil, nil, nil, nil, "name"),
            (nil, "x", "Calle 1", nil, nil, nil, nil, nil, nil, "city"),
            (nil, "x", "a", "b", "c", "d", "Colombia", nil, nil, "country"),
            (nil, "x", "a", "b", "c", "d", "XX", nil, nil, "country"),
            (nil, "x", nil, nil, nil, nil, nil, "90.000001", "0", "latitude"),
            (nil, "x", nil, nil, nil, nil, nil, "0", "180.5", "longitude"),
            (nil, "x", nil, nil, nil, nil, nil, "1e2", "0", "latitude"),
            (nil, "x", nil, nil, nil, nil, nil, "0", nil, "longitude"),
            (nil, "x\ty", nil, nil, nil, nil, nil, nil, nil, "name"),
        ]
        for (type, name, street, city, region, postcode, country, latitude, longitude, argument) in cases {
            #expect(
                Self.refusal {
                    _ = try ContactPointRules.location(
                        type: type, name: name, street: street, city: city, region: region, postalCode: postcode,
                        country: country, latitude: latitude, longitude: longitude)
                } == argument, "\(argument)")
        }
        #expect(
            try ContactPointRules.location(
                type: "virtual", name: nil, street: nil, city: nil, region: nil, postalCode: nil, country: nil,
                latitude: "-90", longitude: "180"
            ).latitude == "-90.000000")
    }

    @Test("a phone: plausible number, extension, type, description")
    func phones() throws {
        #expect(
            try ContactPointRules.phone(
                number: " +57 604 444 1234 ", extensionNumber: 12, type: "voice", description: nil
            ).number
                == "+57 604 444 1234")
        #expect(
            Self.refusal {
                _ = try ContactPointRules.phone(number: "call us", extensionNumber: nil, type: nil, description: nil)
            } == "number")
        #expect(
            Self.refusal {
                _ = try ContactPointRules.phone(number: "12", extensionNumber: nil, type: nil, description: nil)
            } == "number")
        #expect(
            Self.refusal {
                _ = try ContactPointRules.phone(number: "=1+2", extensionNumber: nil, type: nil, description: nil)
            } == "number")
        #expect(
            Self.refusal {
                _ = try ContactPointRules.phone(
                    number: "604 444", extensionNumber: 123_456_789, type: nil, description: nil)
            } == "extension")
        #expect(
            Self.refusal {
                _ = try ContactPointRules.phone(
                    number: "604 444", extensionNumber: nil, type: "pigeon", description: nil)
            } == "type")
        #expect(
            Self.refusal {
                _ = try ContactPointRules.phone(number: "604 444", extensionNumber: nil, type: nil, description: "a\nb")
            } == "description")
    }

    @Test("a contact: at least one field, an email that is one")
    func contacts() throws {
        #expect(
            try ContactPointRules.contact(name: nil, title: nil, department: nil, email: "a@b.org").email == "a@b.org")
        #expect(
            Self.refusal { _ = try ContactPointRules.contact(name: " ", title: nil, department: nil, email: nil) }
                == "name")
        for email in ["a@", "@b.org", "a@b", "a b@c.org", "a@@b.org", "a@b..org"] {
            #expect(
                Self.refusal { _ = try ContactPointRules.contact(name: "x", title: nil, department: nil, email: email) }
                    == "email", "\(email)")
        }
        #expect(
            Self.refusal {
                _ = try ContactPointRules.contact(
                    name: nil, title: String(repeating: "t", count: 201), department: nil, email: nil)
            } == "title")
    }
}
