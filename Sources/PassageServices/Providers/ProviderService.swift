import PassageCore

/// A provider to register, or services and areas to attach to one already registered.
public struct NewProvider: Sendable, Equatable {
    /// The organisation's name (created when new).
    public var name: String
    /// Service type codes (IASC list).
    public var services: [String]
    /// ISO 3166-2 codes served.
    public var areas: [String]
    /// Open referrals it can take; nil keeps the one it has.
    public var capacity: Int?

    public init(name: String, services: [String], areas: [String], capacity: Int? = nil) {
        self.name = name
        self.services = services
        self.areas = areas
        self.capacity = capacity
    }
}

/// What an import of the provider directory did.
public enum ProviderImport: Sendable, Equatable {
    /// Every provider of the file was set, in one transaction.
    case imported(count: Int)
    /// The file has problems, each naming its line and column; nothing was imported.
    case refused(problems: [String])
}

/// The service provider directory. Providers are not case data: every signed-in casework user
/// may read the directory; only administrators change it. The console's `PROVIDER …` and
/// `passage provider …` call the same use cases.
public protocol ProviderService: Sendable {
    /// Registers the organisation as a provider, or attaches the services and areas to it when it
    /// is one already (audited as `provider.add` or `provider.attach`).
    func register(_ provider: NewProvider, by actor: Actor) async throws(ServiceError) -> ProviderRegistration
    /// Providers offering the filter's service in its area, in id order (a bulk read: the actor's
    /// budget applies).
    func directory(_ filter: ProviderFilter, by actor: Actor) async throws(ServiceError) -> [ProviderRecord]
    /// Sets every provider of an HSDS-style CSV file (`ProviderCSV`), all or nothing, with one
    /// `provider.import` entry naming `file`.
    func importDirectory(csv text: String, file: String, by actor: Actor) async throws(ServiceError) -> ProviderImport
    /// Every provider in name order, for export.
    func everyProvider(by actor: Actor) async throws(ServiceError) -> [ProviderRecord]
    /// The directory as an Open Referral HSDS 3 tabular data package (`HSDSPackage`): file name →
    /// content, `datapackage.json` among them; the same directory always gives the same bytes.
    func exportPackage(by actor: Actor) async throws(ServiceError) -> [String: String]
    /// Sets every provider of an HSDS 3 data package (`files`: the package directory's files by
    /// name), all or nothing, with one `provider.import` entry naming `package`.
    func importPackage(_ files: [String: String], package: String, by actor: Actor) async throws(ServiceError)
        -> ProviderImport
    /// Provider `provider` with where and how to reach it: its locations, phones and contacts.
    func details(of provider: Int64, by actor: Actor) async throws(ServiceError) -> ProviderDetails
    /// Adds a location (checked by `ContactPointRules`), audited `provider.location.add`; returns its number.
    func addLocation(_ location: NewProviderLocation, to provider: Int64, by actor: Actor) async throws(ServiceError)
        -> Int64
    /// Adds a phone, at one of the provider's locations when it names one, audited `provider.phone.add`.
    func addPhone(_ phone: NewProviderPhone, to provider: Int64, by actor: Actor) async throws(ServiceError) -> Int64
    /// Adds a contact, audited `provider.contact.add`; returns its number.
    func addContact(_ contact: NewProviderContact, to provider: Int64, by actor: Actor) async throws(ServiceError)
        -> Int64
    /// Removes location, phone or contact `number` of the provider, audited `provider.<kind>.remove`.
    func remove(_ kind: ContactPointKind, _ number: Int64, of provider: Int64, by actor: Actor)
        async throws(ServiceError)
}
