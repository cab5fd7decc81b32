import PassageConsole
import PassageCore
import PassageHTTP
import Testing

/// Issue 20: "every console command available to non-admin roles has an HTTP operation in the
/// OpenAPI document, and vice versa", with the same roles.
@Suite struct ConsoleContractTests {
    static let nonAdmin: Set<Role> = Set(Role.allCases).subtracting([.admin])

    /// Console commands that are the protocol itself, not use cases: they have no HTTP
    /// operation of the same name (AUTH is POST /v1/sessions, WHOAMI is GET /v1/me).
    static let protocolCommands: Set<String> = ["PING", "QUIT", "HELP", "FORMAT", "AUTH", "WHOAMI"]

    @Test func everyNonAdminConsoleCommandHasAnOperationWithTheSameRoles() {
        let operations = PassageAPI.operations
        for entry in ConsoleCommands.documentation().entries where !Self.protocolCommands.contains(entry.name) {
            guard case .roles(let roles) = entry.access, !roles.isDisjoint(with: Self.nonAdmin) else { continue }
            let matching = operations.filter { $0.useCase?.rawValue == entry.name }
            #expect(!matching.isEmpty, "console command \(entry.name) has no HTTP operation")
            for operation in matching {
                #expect(
                    operation.useCase?.roles == roles,
                    "\(operation.id) allows \(operation.useCase?.roles ?? []) but \(entry.name) allows \(roles)")
            }
        }
    }

    @Test func everyOperationNamesAConsoleCommandThatExists() {
        let commands = Set(ConsoleCommands.documentation().entries.map(\.name))
        for operation in PassageAPI.operations {
            guard let useCase = operation.useCase else { continue }
            #expect(commands.contains(useCase.rawValue), "\(operation.id) names \(useCase.rawValue), not a command")
        }
    }

    @Test func theConsoleTakesItsRolesFromTheUseCaseTable() {
        for entry in ConsoleCommands.documentation().entries {
            guard let useCase = UseCase(rawValue: entry.name) else { continue }
            #expect(entry.access == .roles(useCase.roles), "\(entry.name) declares roles apart from UseCase")
        }
    }

    @Test func everyUseCaseIsAConsoleCommand() {
        let commands = Set(ConsoleCommands.documentation().entries.map(\.name))
        for useCase in UseCase.allCases {
            #expect(commands.contains(useCase.rawValue), "UseCase \(useCase) names no console command")
        }
    }
}
