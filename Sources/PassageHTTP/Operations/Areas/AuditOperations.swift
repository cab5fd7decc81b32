import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `GET /v1/audit` (AUDIT TAIL) and `GET /v1/audit/verification` (AUDIT VERIFY): administrators
/// read and check the audit trail (AuditService).
enum AuditOperations {
    static let all = [tail, verify]

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
}
