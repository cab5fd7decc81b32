import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// A search opens its candidates together (`PIIKey.openPeople`, one keyring query): each must
/// open exactly as it would alone — under its own key, for its own organisation, erased when
/// its entry is gone — whatever the mix of formats.
@Suite("Personal identifiers: opening many at once")
struct PersonOpenManyTests {
    @Test(
        "per-person and personal-data-key values open together as each alone; an erased entry opens erased; a value moved to another organisation is refused"
    )
    func opensLikeOneByOne() async throws {
        let keyring = try PersonKeyring(conninfo: try await TestCluster.freshDatabase())
        defer { keyring.close() }
        let master = try PIIKey(secret: String(repeating: "m", count: 40))
        let key = master.using(keyring: keyring)
        let people = (0..<4).map {
            PersonalIdentifiers(
                names: ["Person \($0)"], dateOfBirth: "1990-01-0\($0 + 1)", phone: nil, documents: ["D\($0)"])
        }
        let sealed: [(bytes: [UInt8], organisation: Int64)] = [
            (try key.sealPerson(people[0], organisation: 1, replacing: nil), 1),
            (try key.sealPerson(people[1], organisation: 2, replacing: nil), 2),
            (try master.sealPerson(people[2], organisation: 1, replacing: nil), 1),  // pd1:
            (try key.sealPerson(people[3], organisation: 1, replacing: nil), 1),
        ]
        let erased = try #require(PersonalDataCipher.keyringEntry(of: sealed[3].bytes))
        try keyring.destroy([erased])

        let together = try key.openPeople(sealed)
        #expect(
            together == [.identifiers(people[0]), .identifiers(people[1]), .identifiers(people[2]), .erased])
        #expect(together == (try sealed.map { try key.openPerson($0.bytes, organisation: $0.organisation) }))
        // organisation 2's value presented as organisation 1's does not open
        #expect(throws: StoreError.self) { try key.openPeople([(sealed[1].bytes, 1)]) }
        // per-person values without a keyring are refused, as one by one
        #expect(throws: StoreError.self) { try master.openPeople([sealed[0]]) }
    }
}
