-- Protection needs, service providers and referrals (issue 5).
-- Code lists are data, not Swift enums: shared/reference/taxonomies.md names their sources, and
-- partner agencies extend them (sub-codes, local reasons) without a new build.

-- Human security's seven dimensions (UNDP HDR 1994; Workshop report para. 17), each on the side of
-- freedom from fear or freedom from want, the split policy staff ask gaps along.
CREATE TABLE human_security_dimensions (
    code    text PRIMARY KEY,
    freedom text NOT NULL CHECK (freedom IN ('fear', 'want'))
);
INSERT INTO human_security_dimensions (code, freedom) VALUES
    ('personal', 'fear'), ('community', 'fear'), ('political', 'fear'),
    ('economic', 'want'), ('food', 'want'), ('health', 'want'), ('environmental', 'want');

-- UNHCR specific-needs codes: `XX` or `XX-YY`. A sub-code belongs to its top-level code and, unless
-- it says otherwise, to the same dimension.
CREATE TABLE need_codes (
    code      text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}(-[A-Z]{2})?$'),
    parent    text REFERENCES need_codes(code) CHECK ((parent IS NULL) = (code !~ '-')),
    meaning   text NOT NULL,
    dimension text NOT NULL REFERENCES human_security_dimensions(code)
);
INSERT INTO need_codes (code, meaning, dimension) VALUES
    ('CR', 'child at risk', 'personal'),
    ('SC', 'unaccompanied or separated child', 'community'),
    ('WR', 'woman at risk', 'personal'),
    ('ER', 'older person at risk', 'health'),
    ('SP', 'single parent or caregiver', 'economic'),
    ('DS', 'disability', 'health'),
    ('SM', 'serious medical condition', 'health'),
    ('FU', 'family unity', 'community'),
    ('LP', 'specific legal and physical protection needs', 'political'),
    ('TR', 'torture', 'personal'),
    ('SV', 'sexual and gender-based violence', 'personal');
-- Sub-codes in common use (proGres, Primero's lookup); the list is unverified, so it is data.
INSERT INTO need_codes (code, parent, meaning, dimension) VALUES
    ('CR-CP', 'CR', 'child parent', 'personal'),
    ('CR-CS', 'CR', 'child spouse', 'personal'),
    ('CR-LW', 'CR', 'child engaged in worst forms of child labour', 'economic'),
    ('CR-AF', 'CR', 'child associated with armed forces or groups', 'personal'),
    ('CR-LO', 'CR', 'child in conflict with the law', 'political'),
    ('SC-UC', 'SC', 'unaccompanied child', 'community'),
    ('SC-SC', 'SC', 'separated child', 'community'),
    ('WR-WR', 'WR', 'single woman at risk', 'personal'),
    ('WR-SF', 'WR', 'single female household representative', 'economic'),
    ('ER-NF', 'ER', 'older person unable to care for self', 'health'),
    ('SP-PT', 'SP', 'single parent', 'economic'),
    ('DS-PM', 'DS', 'physical disability, moderate', 'health'),
    ('DS-MM', 'DS', 'mental disability, moderate', 'health'),
    ('SM-CI', 'SM', 'chronic illness', 'health'),
    ('SM-MN', 'SM', 'malnutrition', 'food'),
    ('FU-TR', 'FU', 'tracing required', 'community'),
    ('LP-ND', 'LP', 'no legal documentation', 'political'),
    ('LP-AN', 'LP', 'violence, abuse or neglect', 'personal'),
    ('LP-DT', 'LP', 'detained or held in country of asylum', 'political'),
    ('LP-RR', 'LP', 'at risk of refoulement', 'political'),
    ('TR-PI', 'TR', 'psychological or physical impairment due to torture', 'health'),
    ('SV-VA', 'SV', 'survivor of sexual violence', 'personal'),
    ('SV-GM', 'SV', 'female genital mutilation', 'personal'),
    ('SV-FM', 'SV', 'forced marriage', 'personal');

-- The IASC inter-agency referral form's service list (ids fixed by the console contract).
CREATE TABLE service_types (
    code      text PRIMARY KEY,
    meaning   text NOT NULL,
    dimension text NOT NULL REFERENCES human_security_dimensions(code)
);
INSERT INTO service_types (code, meaning, dimension) VALUES
    ('psychosocial', 'psychosocial / mental health', 'health'),
    ('child_care', 'child care arrangement', 'community'),
    ('family_tracing', 'family tracing and reunification', 'community'),
    ('womens_services', 'women''s services', 'personal'),
    ('disability', 'persons with disabilities', 'health'),
    ('legal_assistance', 'legal assistance', 'political'),
    ('safe_shelter', 'physical safety / safe shelter', 'personal'),
    ('core_relief_items', 'core relief items', 'economic'),
    ('cash', 'cash', 'economic'),
    ('health', 'health, medical or nutrition', 'health'),
    ('food_security', 'food security', 'food'),
    ('shelter', 'shelter', 'environmental'),
    ('livelihoods_education', 'livelihoods / education', 'economic'),
    ('other', 'other', 'community');

-- Which service types serve which top-level need codes (a sub-code is served as its parent).
-- A referral to a provider offering no service for the need is refused.
CREATE TABLE service_type_needs (
    service text NOT NULL REFERENCES service_types(code),
    need    text NOT NULL REFERENCES need_codes(code),
    PRIMARY KEY (service, need)
);
INSERT INTO service_type_needs (service, need) VALUES
    ('psychosocial', 'CR'), ('psychosocial', 'SC'), ('psychosocial', 'WR'), ('psychosocial', 'TR'), ('psychosocial', 'SV'), ('psychosocial', 'ER'),
    ('child_care', 'CR'), ('child_care', 'SC'), ('child_care', 'SP'),
    ('family_tracing', 'SC'), ('family_tracing', 'FU'),
    ('womens_services', 'WR'), ('womens_services', 'SV'), ('womens_services', 'SP'),
    ('disability', 'DS'), ('disability', 'ER'),
    ('legal_assistance', 'LP'), ('legal_assistance', 'FU'), ('legal_assistance', 'CR'), ('legal_assistance', 'SV'), ('legal_assistance', 'TR'),
    ('safe_shelter', 'WR'), ('safe_shelter', 'SV'), ('safe_shelter', 'CR'), ('safe_shelter', 'LP'), ('safe_shelter', 'SC'),
    ('core_relief_items', 'SP'), ('core_relief_items', 'ER'), ('core_relief_items', 'DS'),
    ('cash', 'SP'), ('cash', 'WR'), ('cash', 'ER'), ('cash', 'DS'),
    ('health', 'SM'), ('health', 'DS'), ('health', 'TR'), ('health', 'SV'), ('health', 'ER'),
    ('food_security', 'SP'), ('food_security', 'ER'), ('food_security', 'SM'),
    ('shelter', 'SP'), ('shelter', 'ER'), ('shelter', 'DS'), ('shelter', 'WR'),
    ('livelihoods_education', 'CR'), ('livelihoods_education', 'WR'), ('livelihoods_education', 'SP'),
    ('other', 'CR'), ('other', 'SC'), ('other', 'WR'), ('other', 'ER'), ('other', 'SP'), ('other', 'DS'),
    ('other', 'SM'), ('other', 'FU'), ('other', 'LP'), ('other', 'TR'), ('other', 'SV');

-- Response times by priority (IASC form): the due time of a referral is its creation plus this.
-- Configurable by updating the rows; a referral keeps the due time it was given.
CREATE TABLE referral_priorities (
    priority      text PRIMARY KEY,
    response_time interval NOT NULL CHECK (response_time > interval '0'),
    rank          integer NOT NULL UNIQUE
);
INSERT INTO referral_priorities (priority, response_time, rank) VALUES
    ('emergency', interval '24 hours', 1), ('urgent', interval '72 hours', 2), ('normal', interval '14 days', 3);

-- Reason codes for a decline, an unsuccessful completion and a cancellation (Primero's list).
CREATE TABLE referral_reasons (
    kind    text NOT NULL CHECK (kind IN ('declined', 'unsuccessful', 'cancelled')),
    code    text NOT NULL CHECK (code ~ '^[a-z_]{1,64}$'),
    meaning text NOT NULL,
    PRIMARY KEY (kind, code)
);
INSERT INTO referral_reasons (kind, code, meaning) VALUES
    ('declined', 'no_capacity', 'no capacity'),
    ('declined', 'not_eligible', 'not eligible'),
    ('declined', 'other', 'other'),
    ('unsuccessful', 'client_refused', 'client refused services'),
    ('unsuccessful', 'lack_of_capacity', 'lack of capacity'),
    ('unsuccessful', 'no_longer_needed', 'services no longer needed'),
    ('unsuccessful', 'unable_to_contact_client', 'unable to contact client'),
    ('unsuccessful', 'unable_to_contact_provider', 'unable to contact provider'),
    ('unsuccessful', 'other', 'other'),
    ('cancelled', 'no_longer_needed', 'services no longer needed'),
    ('cancelled', 'consent_withdrawn', 'consent withdrawn'),
    ('cancelled', 'referred_elsewhere', 'referred elsewhere'),
    ('cancelled', 'entered_in_error', 'entered in error'),
    ('cancelled', 'other', 'other');

-- Statistics and gaps count cases, needs and referrals by a few facts. Those facts are kept as
-- stored columns beside the JSON so that a GROUP BY over a million cases reads plain columns,
-- never parses JSON. Ages only as bands, places no finer than a first-level subdivision: the
-- finest grain any aggregate may use. record_key is each row's random key for the cell-key
-- method of disclosure control (a cell's key is the sum of its rows' keys mod 2^32): drawn once,
-- so the same rows always give the same published cell.
ALTER TABLE cases
    ADD COLUMN record_key      bigint NOT NULL DEFAULT floor(random() * 4294967296)::bigint,
    ADD COLUMN sex             text GENERATED ALWAYS AS (facts ->> 'sex') STORED,
    ADD COLUMN age_band        text GENERATED ALWAYS AS (CASE
                                   WHEN (facts ->> 'age') IS NULL THEN NULL
                                   WHEN (facts ->> 'age')::integer < 5 THEN '0-4'
                                   WHEN (facts ->> 'age')::integer < 12 THEN '5-11'
                                   WHEN (facts ->> 'age')::integer < 18 THEN '12-17'
                                   WHEN (facts ->> 'age')::integer < 60 THEN '18-59'
                                   ELSE '60+' END) STORED,
    ADD COLUMN origin_country  text GENERATED ALWAYS AS (facts ->> 'nationality') STORED,
    ADD COLUMN current_country text GENERATED ALWAYS AS (facts ->> 'current_country') STORED,
    ADD COLUMN current_area    text GENERATED ALWAYS AS (facts ->> 'current_area') STORED,
    ADD COLUMN subcategory     text GENERATED ALWAYS AS (classification -> 'subcategories' ->> primary_category) STORED;

-- A protection need of a case. organisation_id repeats the case's organisation so that scoping
-- (and row-level security) needs no join.
CREATE TABLE needs (
    id              bigserial PRIMARY KEY,
    case_id         bigint  NOT NULL REFERENCES cases(id),
    organisation_id bigint  NOT NULL REFERENCES organisations(id),
    code            text    NOT NULL REFERENCES need_codes(code),
    priority        text    NOT NULL REFERENCES referral_priorities(priority),
    status          text    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'withdrawn')),
    identified_by   text    NOT NULL,
    identified_at   timestamptz NOT NULL DEFAULT now(),
    note            text    CHECK (length(note) <= 2000),
    version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    record_key      bigint  NOT NULL DEFAULT floor(random() * 4294967296)::bigint
);
CREATE INDEX needs_by_case ON needs (case_id, id);
CREATE INDEX needs_by_organisation_status ON needs (organisation_id, status, identified_at);

-- A service provider, shaped after Open Referral HSDS: an organisation offering services in
-- areas, with a capacity (open referrals it can hold; NULL = not stated), an eligibility age
-- range and a status. One provider per organisation; PROVIDER ADD on an existing name attaches
-- the new services and areas to it.
CREATE TABLE providers (
    id              bigserial PRIMARY KEY,
    organisation_id bigint  NOT NULL UNIQUE REFERENCES organisations(id),
    status          text    NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily_closed')),
    capacity        integer CHECK (capacity >= 0),
    minimum_age     integer CHECK (minimum_age BETWEEN 0 AND 130),
    maximum_age     integer CHECK (maximum_age BETWEEN 0 AND 130),
    description     text    CHECK (length(description) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age)
);

CREATE TABLE provider_services (
    provider_id bigint NOT NULL REFERENCES providers(id),
    service     text   NOT NULL REFERENCES service_types(code),
    PRIMARY KEY (provider_id, service)
);
CREATE INDEX provider_services_by_service ON provider_services (service, provider_id);

-- Service areas as ISO 3166-2 first-level subdivisions (`CO-ANT`).
CREATE TABLE provider_areas (
    provider_id bigint NOT NULL REFERENCES providers(id),
    area        text   NOT NULL CHECK (area ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'),
    PRIMARY KEY (provider_id, area)
);
CREATE INDEX provider_areas_by_area ON provider_areas (area, provider_id);

-- A referral of one need of a case to one provider. Status moves only as the state machine in
-- PassageCore allows; every move appends a referral_events row in the same transaction.
CREATE TABLE referrals (
    id                        bigserial PRIMARY KEY,
    case_id                   bigint  NOT NULL REFERENCES cases(id),
    need_id                   bigint  NOT NULL REFERENCES needs(id),
    provider_id               bigint  NOT NULL REFERENCES providers(id),
    -- the service type the provider offers for this need (chosen when referring)
    service                   text    NOT NULL REFERENCES service_types(code),
    referring_organisation_id bigint  NOT NULL REFERENCES organisations(id),
    receiving_organisation_id bigint  NOT NULL REFERENCES organisations(id),
    priority                  text    NOT NULL REFERENCES referral_priorities(priority),
    status                    text    NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'accepted', 'declined', 'completed', 'cancelled')),
    outcome                   text    CHECK (outcome IN ('successful', 'unsuccessful')),
    reason                    text,
    consent                   boolean NOT NULL,
    -- set when a supervisor referred without recorded consent
    consent_override_by       text,
    consent_override_reason   text,
    -- whether the caregiver was informed, recorded when the person is under 18 (NULL otherwise)
    caregiver_informed        boolean,
    idempotency_key           text    CHECK (length(idempotency_key) BETWEEN 1 AND 128),
    created_by                text    NOT NULL,
    created_at                timestamptz NOT NULL DEFAULT now(),
    due_at                    timestamptz NOT NULL,
    accepted_at               timestamptz,
    closed_at                 timestamptz,
    version                   integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    record_key                bigint  NOT NULL DEFAULT floor(random() * 4294967296)::bigint,
    CHECK (consent OR consent_override_by IS NOT NULL),
    CHECK ((outcome IS NOT NULL) = (status = 'completed')),
    -- a retried REFER with the same key finds the first referral instead of making a second
    UNIQUE (referring_organisation_id, idempotency_key)
);
CREATE INDEX referrals_by_case ON referrals (case_id, id);
CREATE INDEX referrals_by_need ON referrals (need_id);
CREATE INDEX referrals_by_receiver ON referrals (receiving_organisation_id, status, id);
CREATE INDEX referrals_open_by_due ON referrals (due_at) WHERE status IN ('pending', 'accepted');

-- Every transition of a referral, creation included (from_status NULL): who, when, from, to,
-- why. Replaying a referral's events through the state machine gives its current state.
CREATE TABLE referral_events (
    id          bigserial PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals(id),
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    outcome     text,
    reason      text,
    note        text CHECK (length(note) <= 2000)
);
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, id);

-- The organisation the current transaction acts for; NULL outside a scope.
CREATE FUNCTION passage_scope() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('passage.organisation_id', true), '')::bigint
$$;

-- The organisation the actor of an event acted for (set from the transaction's scope; empty for
-- events written outside a console scope, such as imports).
ALTER TABLE referral_events ADD COLUMN actor_organisation_id bigint REFERENCES organisations(id) DEFAULT passage_scope();

-- Listing a referring organisation's referrals (REFERRAL LIST on the referring side).
CREATE INDEX referrals_by_referrer ON referrals (referring_organisation_id, status, id);

-- ---------------------------------------------------------------------------------------------
-- Organisation scoping, second wall: row-level security.
--
-- The store's SQL already names the organisation in every query (first wall). Console
-- transactions that touch cases also enter a scope: `passage_enter_scope(org)` records the
-- organisation for the rest of the transaction and switches to the role `passage_casework`,
-- whose rows are limited by the policies below. A query that forgot its organisation filter
-- then still sees only its own organisation's rows. The migration owner (and superusers) are
-- not subject to row-level security, so imports, statistics and maintenance are unaffected.
-- Where the role cannot be created (a database user without CREATEROLE), the scope still
-- records the organisation and the first wall alone holds; Docs/architecture.md says so.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        CREATE ROLE passage_casework NOLOGIN;
    END IF;
EXCEPTION
    -- another database of the same cluster created it at the same moment
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot create role passage_casework: row-level security stays unused, SQL scoping alone applies';
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        -- The wall is the policies, not the grants: the role may touch every table (tables of
        -- later migrations too, so their triggers keep working), but never rewrite the audit log.
        EXECUTE 'GRANT USAGE ON SCHEMA public TO passage_casework';
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO passage_casework';
        EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO passage_casework';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO passage_casework';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO passage_casework';
        EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM passage_casework';
        IF NOT pg_has_role(current_user, 'passage_casework', 'MEMBER') THEN
            EXECUTE format('GRANT passage_casework TO %I', current_user);
        END IF;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot grant role passage_casework: row-level security stays unused, SQL scoping alone applies';
END $$;

-- Enters the scope of `organisation` for the rest of the transaction (SET LOCAL semantics),
-- and returns it so a console handler resolves its organisation and enters it in one round trip.
CREATE FUNCTION passage_enter_scope(organisation bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('passage.organisation_id', organisation::text, true);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework')
       AND pg_has_role(current_user, 'passage_casework', 'MEMBER') THEN
        PERFORM set_config('role', 'passage_casework', true);
    END IF;
    RETURN organisation;
END $$;

ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE persons ENABLE ROW LEVEL SECURITY;
ALTER TABLE classifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE needs ENABLE ROW LEVEL SECURITY;
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral_events ENABLE ROW LEVEL SECURITY;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        CREATE POLICY own_cases ON cases TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        CREATE POLICY own_persons ON persons TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        -- through cases, whose own policy applies inside the sub-query
        CREATE POLICY own_classifications ON classifications TO passage_casework
            USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id))
            WITH CHECK (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));
        CREATE POLICY own_needs ON needs TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        -- both sides see the referral row itself; the receiving side sees the case only
        -- through referral_views below
        CREATE POLICY either_side_referrals ON referrals TO passage_casework
            USING (passage_scope() IN (referring_organisation_id, receiving_organisation_id))
            WITH CHECK (passage_scope() IN (referring_organisation_id, receiving_organisation_id));
        -- New events are checked by the organisation they are written for, not through the
        -- referral: REFER inserts the referral and its first event in one statement, whose
        -- sub-queries cannot see the referral yet.
        CREATE POLICY either_side_referral_events ON referral_events TO passage_casework
            USING (EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id))
            WITH CHECK (actor_organisation_id = passage_scope());
    END IF;
END $$;

-- What either side of a referral may see of it: the referral, the need's code, the person's age
-- band, sex and language, and their contact details (still encrypted) only when the person
-- consented; never the facts or the case's other needs. A view runs with its owner's rights, so
-- this is the receiving organisation's only window onto a case of another organisation; its own
-- WHERE keeps that window to the organisations of the current scope.
CREATE VIEW referral_views WITH (security_barrier) AS
SELECT r.id,
       -- the case id means something only to the organisation that referred it
       CASE WHEN r.referring_organisation_id = passage_scope() THEN r.case_id END AS case_id,
       r.need_id, r.provider_id, r.service, r.referring_organisation_id, r.receiving_organisation_id,
       r.priority, r.status, r.outcome, r.reason, r.consent, r.consent_override_by, r.consent_override_reason,
       r.caregiver_informed, r.created_by, r.created_at, r.due_at, r.accepted_at, r.closed_at, r.version, r.updated_at,
       n.code AS need_code, c.age_band, c.sex, c.facts ->> 'language' AS language,
       CASE WHEN r.consent THEN p.identifiers END AS contact
  FROM referrals r
  JOIN needs n ON n.id = r.need_id
  JOIN cases c ON c.id = r.case_id
  LEFT JOIN persons p ON p.id = c.person_id
 WHERE passage_scope() IN (r.referring_organisation_id, r.receiving_organisation_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        GRANT SELECT ON referral_views TO passage_casework;
    END IF;
END $$;
