import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `GET /v1/audit` (AUDIT TAIL), `GET /v1/audit/verification` (AUDIT VERIFY) and
/// `GET /v1/cases/{case}/access-report` (AUDIT PERSON): administrators read and check the audit
/// trail (AuditService).
enum AuditOperations {
    static let all = [tail, verify, accessReport]

    static let tail = APIOperation(
        "showAuditTail", .get, "/v1/audit", tag: "audit", summary: "read the latest audit entries",
        access: .useCase(.auditTail),
        parameters: [
            .query(
                "count", "how many of the newest entries (default 20)", schema: .integer(minimum: 1, maximum: 10_000))
        ],
        answers: [
            .init(200, "The newest entries, oldest first", json: AuditTailResource.schema),
            .init(
                429, "Bulk-read budget spent (Retry-After)",
                content: [("application/problem+json", .reference("Problem"))]),
        ]
    ) { call in
        let count = try call.query("count", in: 1...10_000, default: 20)
        let entries = try await call.services.audit.tail(count, by: call.actor())
        return try JSONResponse.make(AuditTailResource(items: entries.map(AuditEntryResource.init)))
    }

    static let verify = APIOperation(
        "verifyAudit", .get, "/v1/audit/verification", tag: "audit",
        summary: "check the audit hash chain and its anchors", access: .useCase(.auditVerify),
        answers: [
            .init(200, "The chain holds (and matches every anchor kept)", json: AuditVerificationResource.schema),
            .init(
                409, "The chain is broken or was rewritten; `detail` names the entry",
                content: [("application/problem+json", .reference("Problem"))]),
        ]
    ) { call in
        try JSONResponse.make(AuditVerificationResource(intact: try await call.services.audit.verify(by: call.actor())))
    }

    /// "Who saw my data" for a data-protection officer: the same report, role and audit entry
    /// (`audit.person`) as `AUDIT PERSON <case> [csv]`; CSV by `Accept: text/csv` or `?format=csv`.
    static let accessReport = APIOperation(
        "showPersonAccessReport", .get, "/v1/cases/{case}/access-report", tag: "audit",
        summary: "who read or changed a person's record: every audited access to their cases and referrals",
        access: .useCase(.personAccess),
        parameters: [
            CaseOperations.caseParameter,
            .query("format", "json or csv; overrides Accept", schema: .string(choices: ["json", "csv"])),
        ],
        answers: [
            .init(
                200, "Every audited access, oldest first",
                content: [
                    ("application/json", PersonAccessReportResource.schema),
                    ("text/csv", .string(description: "the header, then one row per access (AUDIT PERSON csv)")),
                ]),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
            .init(406, "Accept names no form offered", content: [("application/problem+json", .reference("Problem"))]),
        ]
    ) { call in
        let format = try TableFormat.chosen(call, offered: [.json, .csv])
        let caseID = try call.id("case")
        let accesses = try await call.services.audit.personAccess(ofCase: caseID, by: call.actor())
        var response =
            format == .csv
            ? JSONResponse.text(
                PersonAccess.csv(accesses), contentType: TableFormat.csv.contentType,
                filename: "passage-access-case-\(caseID).csv")
            : try JSONResponse.make(PersonAccessReportResource(items: accesses.map(PersonAccessResource.init)))
        response.headers[.vary] = TableFormat.vary
        return response
    }
}
