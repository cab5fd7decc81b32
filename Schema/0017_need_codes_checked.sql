-- UNHCR specific-needs codes checked against their sources (issue 25; Docs/needs-codes.md has the
-- whole table, each code with its source, and every decision).
--
-- Sources and versions:
--   [U] UNHCR, "Guidance on the Use of Standardized Specific Needs Codes", IOM/030-FOM/030/2009
--       (the 2009 set used by proGres v3). The PDF itself could not be consulted here; its code
--       table is known through [P2] and [L].
--   [P1] Primero (primeroIMS/primero), db/configuration/lookups/lookups.rb at commit
--       0b0b2e0d33c08dff48156815365e1d0a7d4f970d, lookup `lookup-unhcr-needs-codes`: the codes
--       Primero offers (ids lower-case, `cr-cl`), without meanings.
--   [P2] A Primero deployment's system settings, `unhcr_needs_codes_mapping` (Primero's mapping
--       of protection concerns to UNHCR codes): code and meaning, e.g. "LP-DA: Detained/held in
--       country of asylum", "CR-CL: Child in conflict with the law".
--   [L] A public implementation's list of the 2009 table (code and meaning, every code).
--
-- What was wrong, and what this migration does (all in the migration's one transaction):
--   * CR-LO was labelled "child in conflict with the law": that is CR-CL; CR-LO is "child engaged
--     in other forms of child labour" [P2][L].
--   * LP-DT was labelled "detained or held in country of asylum": that is LP-DA [P2][L]; LP-DT is
--     "detained or held elsewhere" [L].
--     Needs recorded under CR-LO and LP-DT were recorded against the wrong label (the label is
--     what the web pages and the API show beside the code), so they move to the code whose
--     meaning they were given: CR-LO → CR-CL, LP-DT → LP-DA. Each moved need gets a new version
--     (a client holding the old one is told to read again), and one audit entry says how many
--     moved (none is written when nothing moved).
--   * SV-VA was labelled "survivor of sexual violence"; it is "survivor of SGBV in country of
--     asylum" [P2][L]. Its needs stay SV-VA (a person on the move is in the country of asylum
--     or transit when the need is recorded; a need elsewhere is SV-VO / SV-VF, added below).
--   * The 2009 sub-codes Primero carries and Passage lacked are added (disability: the whole
--     2009 set DS-BD, DS-DF, DS-PS, DS-MS, DS-SD beside DS-PM, DS-MM).
--   * Meanings made exact where they were loose (SV-FM, SP-PT, DS-PM, DS-MM, TR-PI).
-- Published statistics releases keep the codes they were published with (they are history);
-- the GAPS rollup takes the new codes at its next refresh.

INSERT INTO need_codes (code, parent, meaning, dimension) VALUES
    ('CR-CC', 'CR', 'child carer', 'community'),
    ('CR-TP', 'CR', 'teenage pregnancy', 'health'),
    ('CR-NE', 'CR', 'child at risk of not attending school', 'economic'),
    ('CR-SE', 'CR', 'child with special education needs', 'economic'),
    ('CR-CL', 'CR', 'child in conflict with the law', 'political'),
    ('SC-CH', 'SC', 'child-headed household', 'community'),
    ('SC-IC', 'SC', 'child in institutional care', 'community'),
    ('SC-FC', 'SC', 'child in foster care', 'community'),
    ('DS-BD', 'DS', 'visual impairment (including blindness)', 'health'),
    ('DS-DF', 'DS', 'hearing impairment (including deafness)', 'health'),
    ('DS-PS', 'DS', 'physical disability, severe', 'health'),
    ('DS-MS', 'DS', 'mental disability, severe', 'health'),
    ('DS-SD', 'DS', 'speech impairment or disability', 'health'),
    ('SM-MI', 'SM', 'mental illness', 'health'),
    ('SM-DP', 'SM', 'difficult pregnancy', 'health'),
    ('SM-CC', 'SM', 'critical medical condition', 'health'),
    ('SM-OT', 'SM', 'other medical condition', 'health'),
    ('FU-FR', 'FU', 'family reunification required', 'community'),
    ('LP-DA', 'LP', 'detained or held in country of asylum', 'political'),
    ('LP-MD', 'LP', 'multiple displacements', 'political'),
    ('LP-MS', 'LP', 'marginalised from society or community', 'community'),
    ('LP-BN', 'LP', 'unmet basic needs', 'economic'),
    ('LP-NA', 'LP', 'no access to services', 'economic'),
    ('TR-HO', 'TR', 'forced to egregious acts', 'personal'),
    ('TR-WV', 'TR', 'witness of violence to others', 'personal'),
    ('SV-VO', 'SV', 'survivor of SGBV in country of origin', 'personal'),
    ('SV-VF', 'SV', 'survivor of SGBV during flight', 'personal')
ON CONFLICT (code) DO NOTHING;  -- a deployment that already added one keeps its row

UPDATE need_codes AS k SET meaning = v.meaning, dimension = v.dimension
FROM (VALUES
    ('CR-LO', 'child engaged in other forms of child labour', 'economic'),
    ('LP-DT', 'detained or held elsewhere', 'political'),
    ('SV-VA', 'survivor of SGBV in country of asylum', 'personal'),
    ('SV-FM', 'forced or early marriage', 'personal'),
    ('SP-PT', 'single parent (household representative)', 'economic'),
    ('DS-PM', 'physical disability, moderate', 'health'),
    ('DS-MM', 'mental disability, moderate', 'health'),
    ('TR-PI', 'psychological or physical impairment due to torture', 'health')
) AS v(code, meaning, dimension)
WHERE k.code = v.code;

-- Needs recorded against a wrong label move to the code of the meaning they were given.
DO $$
DECLARE
    to_cl bigint;
    to_da bigint;
BEGIN
    WITH moved AS (
        UPDATE needs SET code = 'CR-CL', version = version + 1, updated_at = now()
        WHERE code = 'CR-LO' RETURNING 1
    ) SELECT count(*) INTO to_cl FROM moved;
    WITH moved AS (
        UPDATE needs SET code = 'LP-DA', version = version + 1, updated_at = now()
        WHERE code = 'LP-DT' RETURNING 1
    ) SELECT count(*) INTO to_da FROM moved;
    IF to_cl + to_da > 0 THEN
        PERFORM audit_append(
            'migration:0017', 'needs.recode', 'need_codes', 'migration',
            format('%s needs CR-LO -> CR-CL, %s needs LP-DT -> LP-DA (the codes'' labels were wrong; Docs/needs-codes.md)',
                   to_cl, to_da));
    END IF;
END $$;

-- The same needs in Primero's vocabulary: Primero's lookup `lookup-unhcr-needs-codes` ([P1], and
-- the codes [P2]'s mapping adds) names a code by its lower-case id (`CR-CL` is `cr-cl`). A code
-- Primero does not carry (WR-*, ER-*, SP-PT, SV-GM, SV-FM, LP-DT, the top-level codes) has no
-- row: an exchange reports it as not mapped instead of guessing. Kept as data, like the lists.
CREATE TABLE need_code_equivalents (
    code       text NOT NULL REFERENCES need_codes(code),
    scheme     text NOT NULL CHECK (scheme IN ('primero')),
    equivalent text NOT NULL,
    PRIMARY KEY (scheme, code)
);
INSERT INTO need_code_equivalents (code, scheme, equivalent)
SELECT code, 'primero', lower(code) FROM need_codes
WHERE code IN (
    -- [P1], in its order
    'CR-CP', 'CR-CS', 'CR-CC', 'CR-TP', 'CR-LW', 'CR-LO', 'CR-NE', 'CR-SE', 'CR-AF', 'CR-CL',
    'SC-CH', 'SC-IC', 'SC-FC', 'DS-BD', 'DS-DF', 'DS-PM', 'DS-PS', 'DS-MM', 'DS-MS', 'DS-SD',
    'SM-MI', 'SM-MN', 'SM-CI', 'SM-CC', 'SM-OT', 'FU-TR', 'FU-FR', 'LP-ND', 'TR-PI', 'TR-HO',
    'TR-WV', 'SV-VA', 'LP-AN', 'LP-MD', 'LP-MS', 'LP-RR',
    -- added by [P2]
    'LP-DA', 'LP-BN', 'LP-NA', 'SM-DP', 'SC-SC', 'SC-UC', 'SV-VO', 'SV-VF');
