/// Why a person's identifiers were erased (Docs/case-life.md "Retention and erasure"): the
/// organisation's retention period after closure ran out, or the person asked and a supervisor
/// agreed. Recorded in the audit entry `person.erased`, never what was erased.
public enum ErasureReason: String, CaseIterable, Sendable {
    case retention
    case request
}
