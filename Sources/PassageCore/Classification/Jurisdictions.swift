/// Which countries apply the regional refugee definitions: the OAU Convention 1969 art. I(2) and
/// the Cartagena Declaration 1984 conclusion III(3). This is configuration, kept current by
/// operators (`passage classify --jurisdictions FILE`), not law written into code.
public struct Jurisdictions: Hashable, Sendable {
    private let oau: CountrySet
    private let cartagena: CountrySet

    public init(oau1969: some Sequence<CountryCode>, cartagena1984: some Sequence<CountryCode>) {
        oau = CountrySet(oau1969)
        cartagena = CountrySet(cartagena1984)
    }

    /// The contract's default lists (case-facts.md section 3).
    public static let `default` = Jurisdictions(
        oau1969: codes(
            "AO BF BI BJ BW CD CF CG CI CM DZ ET GA GH GM GN KE LR LS ML MR MW MZ NE NG RW SD SL SN SS TD TG TN TZ UG ZA ZM ZW"
        ),
        cartagena1984: codes("AR BO BR CL CO EC GT HN MX NI PE PY SV UY")
    )

    private static func codes(_ list: String) -> [CountryCode] {
        list.split(separator: " ").compactMap { CountryCode(String($0)) }
    }

    public func appliesOAU1969(in country: CountryCode) -> Bool { oau.contains(country) }
    public func appliesCartagena1984(in country: CountryCode) -> Bool { cartagena.contains(country) }

    /// The countries applying the OAU Convention, alphabetically.
    public var oau1969: [CountryCode] { oau.members }
    /// The countries applying the Cartagena definition, alphabetically.
    public var cartagena1984: [CountryCode] { cartagena.members }
}
