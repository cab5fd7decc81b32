import PassageCore
import PassageServices

/// `TRANSFER PROPOSE|REQUEST|ACCEPT|DECLINE|CANCEL|LIST|HISTORY` (TransferService,
/// Docs/transfers.md): a case changes organisation when the side that did not start the transfer
/// accepts it; until then either side may cancel it.
enum TransferCommands {
    static let declarations: [CommandSpec] = [propose, request, accept, decline, cancel, list, history]

    static let organisation = ArgumentKind.text(maxLength: 200)

    static let propose = CommandSpec(
        "TRANSFER PROPOSE", access: .roles(UseCase.proposeTransfer.roles),
        positional: [Arguments.id("case", "case id (your organisation's)")],
        named: [
            ArgumentSpec("to", organisation, help: "the receiving organisation's name"),
            ArgumentSpec("consent", .yesNo, help: "the person consented to the transfer (no → 553)"),
            ArgumentSpec("reason", .choice(of: TransferReason.self), help: "why the case moves"),
        ],
        summary: "offer a case to another organisation", quick: true
    ) { services, invocation, session in
        let transfer = try await services.transfers.propose(
            caseID: Int64(try invocation.int("case")), to: try invocation.text("to"),
            reason: try invocation.choice(TransferReason.self, "reason"), consented: try invocation.bool("consent"),
            by: invocation.actor(session))
        return .ok(fields(transfer))
    }

    static let request = CommandSpec(
        "TRANSFER REQUEST", access: .roles(UseCase.requestTransfer.roles),
        positional: [Arguments.id("case", "case id (at the owning organisation)")],
        named: [
            ArgumentSpec("from", organisation, help: "the owning organisation's name"),
            ArgumentSpec("reason", .choice(of: TransferReason.self), help: "why the case should move"),
        ],
        summary: "ask another organisation for one of its cases", quick: true
    ) { services, invocation, session in
        let transfer = try await services.transfers.request(
            caseID: Int64(try invocation.int("case")), from: try invocation.text("from"),
            reason: try invocation.choice(TransferReason.self, "reason"), by: invocation.actor(session))
        return .ok(fields(transfer))
    }

    static let accept = CommandSpec(
        "TRANSFER ACCEPT", access: .roles(UseCase.acceptTransfer.roles),
        positional: [Arguments.id("transfer", "transfer id")],
        named: [
            .optional(
                "consent", .yesNo,
                help: "granting a request: the person consented (required; no → 553)")
        ],
        summary: "accept a proposed transfer, or grant a requested one: the case changes owner", quick: true
    ) { services, invocation, session in
        let transfer = try await services.transfers.accept(
            Int64(try invocation.int("transfer")), consented: (try? invocation.bool("consent")) ?? false,
            by: invocation.actor(session))
        return .ok(fields(transfer))
    }

    static let decline = CommandSpec(
        "TRANSFER DECLINE", access: .roles(UseCase.declineTransfer.roles),
        positional: [Arguments.id("transfer", "transfer id")],
        named: [.optional("reason", .choice(of: TransferEndReason.self), help: "why")],
        summary: "decline a proposed or requested transfer", quick: true
    ) { services, invocation, session in
        let transfer = try await services.transfers.decline(
            Int64(try invocation.int("transfer")), reason: try invocation.optionalChoice(TransferEndReason.self, "reason"),
            by: invocation.actor(session))
        return .ok(fields(transfer))
    }

    static let cancel = CommandSpec(
        "TRANSFER CANCEL", access: .roles(UseCase.cancelTransfer.roles),
        positional: [Arguments.id("transfer", "transfer id")],
        named: [
            ArgumentSpec(
                "reason", .choice(of: TransferEndReason.self), help: "consent_withdrawn when the person revoked consent")
        ],
        summary: "cancel an open transfer (either side)", quick: true
    ) { services, invocation, session in
        let transfer = try await services.transfers.cancel(
            Int64(try invocation.int("transfer")), reason: try invocation.choice(TransferEndReason.self, "reason"),
            by: invocation.actor(session))
        return .ok(fields(transfer))
    }

    static let list = CommandSpec(
        "TRANSFER LIST", access: .roles(UseCase.listTransfers.roles),
        named: [.optional("case", .id, help: "only the transfers of this case")],
        summary: "transfers your organisation is a party to"
    ) { services, invocation, session in
        let transfers = try await services.transfers.list(
            caseID: invocation.optionalInt("case").map(Int64.init), by: invocation.actor(session))
        return .data(.table("transfers", columns: columns, rows: transfers.map(row)))
    }

    static let history = CommandSpec(
        "TRANSFER HISTORY", access: .roles(UseCase.caseOwners.roles),
        positional: [Arguments.id("case", "case id (your organisation's)")],
        summary: "every owner of a case with dates"
    ) { services, invocation, session in
        let caseID = Int64(try invocation.int("case"))
        let owners = try await services.transfers.owners(ofCase: caseID, by: invocation.actor(session))
        return .data(
            .table(
                "owners of case \(caseID)", columns: ["organisation", "since", "until"],
                rows: owners.map { owner in
                    [
                        .string(owner.organisation), .string(ConsoleTime.text(owner.since)),
                        owner.until.map { .string(ConsoleTime.text($0)) } ?? .null,
                    ]
                }))
    }

    static func fields(_ transfer: TransferRecord) -> [ReplyField] {
        [
            ReplyField("transfer", .int(Int(transfer.id))), ReplyField("case", .int(Int(transfer.caseID))),
            ReplyField("status", .string(transfer.status.rawValue)),
        ]
    }

    static let columns = [
        "transfer", "case", "kind", "status", "from", "to", "reason", "consent", "started", "by", "decided",
        "decided_by", "decision_reason",
    ]

    static func row(_ transfer: TransferRecord) -> [ReplyValue] {
        [
            .int(Int(transfer.id)), .int(Int(transfer.caseID)), .string(transfer.kind.rawValue),
            .string(transfer.status.rawValue), .string(transfer.from), .string(transfer.to), .string(transfer.reason),
            .bool(transfer.consent), .string(ConsoleTime.text(transfer.initiatedAt)), .string(transfer.initiatedBy),
            transfer.decidedAt.map { .string(ConsoleTime.text($0)) } ?? .null,
            transfer.decidedBy.map(ReplyValue.string) ?? .null,
            transfer.decisionReason.map(ReplyValue.string) ?? .null,
        ]
    }
}
