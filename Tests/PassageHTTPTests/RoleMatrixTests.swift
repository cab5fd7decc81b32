import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageHTTP
import Testing

/// Issue 20: each role × each operation matches the console's role matrix (UseCase). A role
/// the use case does not allow gets 403 before anything runs; an allowed role never does for
/// a request that names nothing of another organisation (it may get 400 or 404 for the
/// minimal request sent here, which is all this test needs).
@Suite struct RoleMatrixTests {
    /// A path with every `{parameter}` filled by a value its schema accepts.
    static func concretePath(_ operation: APIOperation) -> String {
        var path = operation.path
        for parameter in operation.parameters where parameter.place == .path {
            let value: String
            switch parameter.schema {
            case .integer: value = "1"
            case .string(_, _, let choices?, _): value = choices.first ?? "x"
            default: value = "nobody"
            }
            path = path.replacingOccurrences(of: "{\(parameter.name)}", with: value)
        }
        return path
    }

    @Test func everyRoleGetsExactlyTheOperationsItsUseCasesAllow() async throws {
        try await HTTPFixture.with { _, client in
            var sessions: [Role: SignedIn] = [:]
            for role in Role.allCases { sessions[role] = try await client.signIn(role.rawValue) }
            for operation in PassageAPI.operations {
                guard let useCase = operation.useCase else { continue }
                for role in Role.allCases {
                    let response = try await client.call(
                        operation.method, Self.concretePath(operation), as: sessions[role],
                        json: operation.requestBody == nil ? nil : [String: Any](),
                        headers: [.ifMatch: "\"v1\""])
                    if useCase.allows(role) {
                        #expect(
                            response.status != .forbidden && response.status != .unauthorized,
                            "\(role.rawValue) may \(operation.id) but got \(response.status): \(response.text)")
                    } else {
                        #expect(
                            response.status == .forbidden,
                            "\(role.rawValue) may not \(operation.id) but got \(response.status)")
                    }
                }
            }
        }
    }
}
