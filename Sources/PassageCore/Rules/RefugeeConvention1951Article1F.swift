/// 1951 Convention art. 1F: "The provisions of this Convention shall not apply to any person
/// with respect to whom there are serious reasons for considering that: (a) he has committed a
/// crime against peace, a war crime, or a crime against humanity …; (b) he has committed a
/// serious non-political crime outside the country of refuge prior to his admission to that
/// country as a refugee; (c) he has been guilty of acts contrary to the purposes and principles
/// of the United Nations."
///
/// `excluded` records those serious reasons. The person is kept out of `refugee_asylum` on every
/// path, with note `exclusion-clause` and review: whether to exclude is for a person to decide.
enum RefugeeConvention1951Article1F {
    static func applies(to facts: CaseFacts) -> Bool {
        facts.excluded == true
    }
}
