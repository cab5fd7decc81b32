import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Need store and provider directory")
struct NeedAndProviderStoreTests {
    @Test("needs: known codes only, scoped to the organisation, status changes with versions")
    func needs() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let needs = fixture.needs
        #expect(throws: StoreError.invalid(argument: "code", message: "code XX is not a known need code")) {
            try needs.add(
                caseID: fixture.adultCase, code: "XX", priority: "normal", note: nil, organisation: fixture.ngoA,
                identifiedBy: "a", on: db)
        }
        #expect {
            try needs.add(
                caseID: fixture.adultCase, code: "lp", priority: "normal", note: nil, organisation: fixture.ngoA,
                identifiedBy: "a", on: db)
        } throws: { "\($0)".hasPrefix("code: code must be") }
        #expect(throws: StoreError.notFound("case \(fixture.adultCase)")) {
            try needs.add(
                caseID: fixture.adultCase, code: "SM", priority: "normal", note: nil, organisation: fixture.ngoB,
                identifiedBy: "a", on: db)
        }
        let listed = try needs.list(caseID: fixture.adultCase, organisation: fixture.ngoA, on: db)
        #expect(
            listed.map(\.code) == ["LP-ND"] && listed[0].dimension == "political" && listed[0].note == "no documents")
        #expect(try needs.list(caseID: fixture.otherCase, organisation: fixture.ngoB, on: db).isEmpty)
        #expect(throws: StoreError.notFound("case \(fixture.adultCase)")) {
            try needs.list(caseID: fixture.adultCase, organisation: fixture.ngoB, on: db)
        }
        #expect(throws: StoreError.notFound("need \(fixture.legalNeed)")) {
            try needs.setStatus(
                id: fixture.legalNeed, to: .met, expectedVersion: nil, organisation: fixture.ngoB, on: db)
        }
        let met = try needs.setStatus(
            id: fixture.legalNeed, to: .met, expectedVersion: 1, organisation: fixture.ngoA, on: db)
        #expect(met.status == .met && met.version == 2)
        #expect(throws: StoreError.staleVersion(current: 2, given: 1)) {
            try needs.setStatus(
                id: fixture.legalNeed, to: .withdrawn, expectedVersion: 1, organisation: fixture.ngoA, on: db)
        }
        #expect(throws: StoreError.conflict("the need is already met")) {
            try needs.setStatus(
                id: fixture.legalNeed, to: .met, expectedVersion: nil, organisation: fixture.ngoA, on: db)
        }
        #expect(
            try needs.setStatus(
                id: fixture.legalNeed, to: .open, expectedVersion: 2, organisation: fixture.ngoA, on: db
            ).version == 3)
    }

    @Test("PROVIDER ADD registers, then attaches to the same organisation; the list filters by service and area")
    func providers() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let providers = fixture.providers
        let (again, created) = try providers.add(
            name: "clinic", services: ["psychosocial"], areas: ["CO-BOL"], capacity: nil, on: db)
        #expect(!created && again.id == fixture.clinicProvider)
        #expect(
            again.services == ["health", "legal_assistance", "psychosocial"] && again.areas == ["CO-ANT", "CO-BOL"]
                && again.capacity == 10)
        let (shelter, isNew) = try providers.add(
            name: "shelter house", services: ["safe_shelter"], areas: ["PE-LIM"], capacity: 3, on: db)
        #expect(isNew)
        #expect(try providers.list(service: "psychosocial", area: nil, on: db).map(\.id) == [fixture.clinicProvider])
        #expect(try providers.list(service: nil, area: "PE", on: db).map(\.id) == [shelter.id])
        #expect(try providers.list(service: nil, area: "CO-BOL", on: db).map(\.id) == [fixture.clinicProvider])
        #expect(try providers.list(service: nil, area: nil, on: db).count == 2)
        #expect {
            try providers.add(name: "x", services: ["astrology"], areas: ["CO-ANT"], capacity: nil, on: db)
        } throws: { "\($0)".hasPrefix("services: services must be") }
        #expect { try providers.add(name: "y", services: ["cash"], areas: ["XX-ANT"], capacity: nil, on: db) } throws: {
            "\($0)".hasPrefix("areas: areas must be")
        }
    }

    @Test("CSV: export then import gives the same directory; a bad file names line and column and imports nothing")
    func csvRoundTripAndErrors() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let providers = fixture.providers
        try db.execute(
            "UPDATE providers SET minimum_age = 12, maximum_age = 60, description = 'walk-in, \"free\"' WHERE id = \(fixture.clinicProvider)"
        )
        _ = try providers.add(
            name: "shelter, north", services: ["safe_shelter", "shelter"], areas: ["PE-LIM", "PE-ARE"], capacity: 3,
            on: db)
        let before = try providers.all(on: db)
        let text = ProviderCSV.render(before)
        let known = try providers.serviceTypes(on: db)
        let entries = try ProviderCSV.parse(text, knownServices: known)
        // Importing into a fresh database gives back the same records (ids aside).
        let other = try await MigratedDatabase.connection()
        defer { other.close() }
        try other.transaction { connection in for entry in entries { _ = try providers.put(entry, on: connection) } }
        let after = try providers.all(on: other)
        func strip(_ records: [ProviderRecord]) -> [[String]] {
            records.map {
                [
                    $0.name, $0.status, "\($0.capacity ?? -1)", "\($0.minimumAge ?? -1)", "\($0.maximumAge ?? -1)",
                    $0.description ?? "", $0.services.joined(separator: ";"), $0.areas.joined(separator: ";"),
                ]
            }
        }
        #expect(strip(after) == strip(before))

        let bad = """
            organization_name,service_types,service_areas,capacity,minimum_age,maximum_age
            ok,cash,CO-ANT,,,
            bad one,cash;astrology,CO-ANT,-1,,
            bad two,cash,Antioquia,5,30,20
            ok,cash,CO-ANT,,,
            """
        #expect { try ProviderCSV.parse(bad, knownServices: known) } throws: { error in
            let messages = (error as? ProviderCSV.Problems)?.messages ?? []
            return messages.contains { $0.hasPrefix("line 3, column service_types: unknown service type astrology") }
                && messages.contains { $0.hasPrefix("line 3, column capacity:") }
                && messages.contains { $0.hasPrefix("line 4, column service_areas: Antioquia") }
                && messages.contains { $0.hasPrefix("line 4, column maximum_age:") }
                && messages.contains { $0 == "line 5, column organization_name: ok is already on line 2" }
        }
        #expect { try ProviderCSV.parse("name,service_types\nx,cash\n", knownServices: known) } throws: { error in
            let messages = (error as? ProviderCSV.Problems)?.messages ?? []
            return messages.contains { $0.hasPrefix("line 1, column 1: unknown column \"name\"") }
                && messages.contains { $0 == "line 1: required column service_areas is missing" }
        }
        #expect {
            try ProviderCSV.parse(
                "organization_name,service_types,service_areas\n\"open,cash,CO-ANT\n", knownServices: known)
        } throws: { ($0 as? ProviderCSV.Problems)?.messages == ["line 2: a quoted field is never closed"] }
        // Quoted fields may hold commas, quotes and line breaks; the record keeps its first line.
        let quoted =
            "organization_name,service_types,service_areas,description\n\"a, \"\"b\"\"\",cash,CO-ANT,\"two\nlines\"\nc,cash,CO-ANT,\n"
        let read = try ProviderCSV.parse(quoted, knownServices: known)
        #expect(
            read.map(\.name) == ["a, \"b\"", "c"] && read[0].description == "two\nlines" && read[1].description == nil)
    }
}
