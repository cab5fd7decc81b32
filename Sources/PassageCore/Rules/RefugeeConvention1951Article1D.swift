/// 1951 Convention art. 1D, both paragraphs (Palestine refugees; UNHCR Guidelines on
/// International Protection No. 13, 2017; CJEU C-31/09 *Bolbol*, C-364/11 *El Kott*):
///
/// "This Convention shall not apply to persons who are at present receiving from organs or
/// agencies of the United Nations other than the United Nations High Commissioner for Refugees
/// protection or assistance.
///
/// When such protection or assistance has ceased for any reason, without the position of such
/// persons being definitively settled in accordance with the relevant resolutions adopted by the
/// General Assembly of the United Nations, these persons shall ipso facto be entitled to the
/// benefits of this Convention."
///
/// The agency is UNRWA (UNGA resolution 302 (IV), 1949).
enum RefugeeConvention1951Article1D {
    /// Second paragraph: assistance "has ceased for any reason" — *ipso facto* entitled, without
    /// the 1A(2) test. Basis `1951-convention-1D`.
    static func entitlesIpsoFacto(_ facts: CaseFacts) -> Bool {
        facts.unrwaState == .ceased
    }

    /// First paragraph: "at present receiving" — outside the Convention, but a Palestine refugee
    /// under UNRWA's mandate, whom UNHCR counts among the world's refugees. Basis `unrwa-mandate`.
    static func isUnderUNRWAMandate(_ facts: CaseFacts) -> Bool {
        facts.unrwaState == .receiving
    }
}
