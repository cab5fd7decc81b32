/// Council Directive 2001/55/EC on temporary protection in the event of a mass influx of
/// displaced persons (activated for people displaced from Ukraine by Council Implementing
/// Decision (EU) 2022/382), or a national scheme of the same kind.
///
/// Art. 2(a): "'temporary protection' means a procedure of exceptional character to provide, in
/// the event of a mass influx or imminent mass influx of displaced persons from third countries
/// who are unable to return to their country of origin, immediate and temporary protection to
/// such persons". Art. 2(c): displaced persons include those "who have fled areas of armed
/// conflict or endemic violence" and those "at serious risk of, or who have been the victims of,
/// systematic or generalised violations of their human rights". Art. 3(1): "Temporary protection
/// shall not prejudge recognition of refugee status under the Geneva Convention."
///
/// A held status (`asylum: temporary_protection`): subcategory `refugee` — UNHCR counts "those
/// enjoying temporary protection" among refugees — with basis `temporary-protection`.
enum TemporaryProtectionDirective2001 {
    static func holdsTemporaryProtection(_ facts: CaseFacts) -> Bool {
        facts.asylumState == .temporaryProtection
    }
}
