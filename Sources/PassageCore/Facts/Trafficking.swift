/// `trafficking`: the three elements of Palermo Protocol art. 3(a), and the age at the act.
public struct Trafficking: Hashable, Sendable {
    public var acts: [TraffickingAct]?
    public var means: [TraffickingMeans]?
    public var purposes: [TraffickingPurpose]?
    /// Age when the act happened; the child test of art. 3(c)–(d) uses it, else `age`.
    public var ageAtAct: Int?

    public init(
        acts: [TraffickingAct]? = nil, means: [TraffickingMeans]? = nil,
        purposes: [TraffickingPurpose]? = nil, ageAtAct: Int? = nil
    ) {
        self.acts = acts
        self.means = means
        self.purposes = purposes
        self.ageAtAct = ageAtAct
    }
}
