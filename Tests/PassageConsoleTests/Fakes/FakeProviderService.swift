import PassageCore
import PassageServices
import Synchronization

/// ProviderService in memory, for the console's tests: it records the providers registered and
/// lists none.
final class FakeProviderService: ProviderService {
    private let calls = Mutex<[NewProvider]>([])

    /// The providers registered, oldest first.
    var registered: [NewProvider] { calls.withLock { $0 } }

    func register(_ provider: NewProvider, by actor: Actor) async throws(ServiceError) -> ProviderRegistration {
        calls.withLock { $0.append(provider) }
        return ProviderRegistration(
            provider: ProviderRecord(
                id: 1, name: provider.name, status: "active", capacity: provider.capacity,
                minimumAge: nil, maximumAge: nil, description: nil,
                services: provider.services, areas: provider.areas),
            created: true)
    }

    func directory(_ filter: ProviderFilter, by actor: Actor) async throws(ServiceError) -> [ProviderRecord] { [] }

    func importDirectory(csv text: String, file: String, by actor: Actor) async throws(ServiceError) -> ProviderImport {
        .imported(count: 0)
    }

    func everyProvider(by actor: Actor) async throws(ServiceError) -> [ProviderRecord] { [] }

    func exportPackage(by actor: Actor) async throws(ServiceError) -> [String: String] { [:] }

    func importPackage(_ files: [String: String], package: String, by actor: Actor) async throws(ServiceError)
        -> ProviderImport
    { .imported(count: 0) }

    func details(of provider: Int64, by actor: Actor) async throws(ServiceError) -> ProviderDetails {
        throw .notFound("provider \(provider)")
    }

    func addLocation(_ location: NewProviderLocation, to provider: Int64, by actor: Actor) async throws(ServiceError)
        -> Int64
    { 1 }

    func addPhone(_ phone: NewProviderPhone, to provider: Int64, by actor: Actor) async throws(ServiceError) -> Int64 {
        1
    }

    func addContact(_ contact: NewProviderContact, to provider: Int64, by actor: Actor) async throws(ServiceError)
        -> Int64
    { 1 }

    func remove(_ kind: ContactPointKind, _ number: Int64, of provider: Int64, by actor: Actor)
        async throws(ServiceError)
    {}
}
