/// A location, phone or contact as one line of text, the same on the console (PROVIDER SHOW) and
/// the provider's web page: what a caseworker reads out or dials.
public enum ContactPointText {
    /// `Sede Medellín (physical): Calle 10 # 43-12, Medellín, Antioquia 050021, CO; 6.251840, -75.563590`
    public static func location(_ location: ProviderLocation) -> String {
        var text = (location.name ?? "unnamed") + " (\(location.type))"
        if let address = location.address { text += ": " + self.address(address) }
        if let latitude = location.latitude, let longitude = location.longitude {
            text += (location.address == nil ? ": " : "; ") + "\(latitude), \(longitude)"
        }
        return text
    }

    /// `Calle 10 # 43-12, Medellín, Antioquia 050021, CO`
    public static func address(_ address: PostalAddress) -> String {
        "\(address.street), \(address.city), \(address.stateProvince) \(address.postalCode), \(address.country)"
    }

    /// `+57 604 444 1234 ext. 12 (voice), intake desk, at location 3`
    public static func phone(_ phone: ProviderPhone, atLocation location: Int64?) -> String {
        var text = phone.number
        if let extensionNumber = phone.extensionNumber { text += " ext. \(extensionNumber)" }
        if let type = phone.type { text += " (\(type))" }
        if let description = phone.description { text += ", " + description }
        if let location { text += ", at location \(location)" }
        return text
    }

    /// `Ana Gómez, referral focal point, Protection, ana@example.org`
    public static func contact(_ contact: ProviderContact) -> String {
        [contact.name, contact.title, contact.department, contact.email].compactMap { $0 }.joined(separator: ", ")
    }
}
