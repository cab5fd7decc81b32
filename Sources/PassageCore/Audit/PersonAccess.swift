import Foundation

/// One audited read or change of a person's record, for the "who saw my data" report
/// (`AUDIT PERSON`, Docs/case-life.md): who, of which organisation, when, what, by which command.
public struct PersonAccess: Sendable, Equatable {
    public let entry: Int64
    public let at: Date
    public let user: String
    /// The user's organisation as it stands now (the audit entry names the user only); nil for
    /// an actor that is no user (the operator's command line, a migration, a removed account).
    public let organisation: String?
    public let action: String
    public let subject: String
    public let source: String
    public let detail: String

    public init(
        entry: Int64, at: Date, user: String, organisation: String?, action: String, subject: String, source: String,
        detail: String
    ) {
        self.entry = entry
        self.at = at
        self.user = user
        self.organisation = organisation
        self.action = action
        self.subject = subject
        self.source = source
        self.detail = detail
    }

    /// The command that writes entries of this action, as the person would understand it.
    public var command: String { AuditAction(rawValue: action)?.command ?? "" }

    /// The report as CSV for a data-protection officer, every cell through `CSVCell`.
    public static func csv(_ accesses: [PersonAccess]) -> String {
        var lines = [
            CSVCell.line(["entry", "at", "user", "organisation", "action", "command", "subject", "source", "detail"])
        ]
        let formatter = ISO8601DateFormatter()
        for access in accesses {
            lines.append(
                CSVCell.line([
                    String(access.entry), formatter.string(from: access.at), access.user, access.organisation ?? "",
                    access.action, access.command, access.subject, access.source, access.detail,
                ]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension AuditAction {
    /// The console command (or CLI action) that writes this entry about a case or referral.
    public var command: String {
        switch self {
        case .caseCreate: "CASE NEW"
        case .caseRead: "CASE SHOW"
        case .caseUpdate: "CASE SET"
        case .caseOverride: "CASE OVERRIDE"
        case .caseClose: "CASE CLOSE"
        case .caseReopen: "CASE REOPEN"
        case .personUpdate: "PERSON SET"
        case .personRead: "PERSON SHOW"
        case .needAdd: "NEED ADD"
        case .needList: "NEED LIST"
        case .needStatus: "NEED SET"
        case .referralCreate, .referralConsentOverride, .referralRepeat: "REFER"
        case .referralAccepted, .referralDeclined, .referralCompleted, .referralCancelled: "REFERRAL SET"
        case .referralRead: "REFERRAL SHOW"
        case .accessRefused: "(refused)"
        default: rawValue
        }
    }
}
