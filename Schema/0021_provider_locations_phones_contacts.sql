-- Where and how to reach a provider, and the identifiers of its Open Referral HSDS 3 data package
-- (issue 25; Docs/referrals.md "HSDS 3 data package"). Until now the directory held no location,
-- phone or contact, so a caseworker who found a provider could not reach it.
--
-- A provider is one HSDS organization offering one HSDS service (its status, capacity and ages are
-- the service's). Both keep a stable UUID so that a partner's directory can re-import a package and
-- update the same records, and an export of an import is the same package. Existing providers get
-- fresh ones.
ALTER TABLE providers
    ADD COLUMN organization_uuid uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    ADD COLUMN service_uuid      uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    -- when the capacity was last stated (HSDS service_capacity.updated); NULL while none is
    ADD COLUMN capacity_stated_at timestamptz;
UPDATE providers SET capacity_stated_at = updated_at WHERE capacity IS NOT NULL;

-- A place where the provider serves people: a name, an optional postal address (HSDS requires
-- all five of its parts when there is one) and optional WGS 84 coordinates.
CREATE TABLE provider_locations (
    id              bigserial PRIMARY KEY,
    provider_id     bigint  NOT NULL REFERENCES providers(id),
    uuid            uuid    NOT NULL UNIQUE,
    location_type   text    NOT NULL DEFAULT 'physical' CHECK (location_type IN ('physical', 'postal', 'virtual')),
    name            text    CHECK (length(name) BETWEEN 1 AND 200),
    address_1       text    CHECK (length(address_1) BETWEEN 1 AND 200),
    city            text    CHECK (length(city) BETWEEN 1 AND 100),
    state_province  text    CHECK (length(state_province) BETWEEN 1 AND 100),
    postal_code     text    CHECK (length(postal_code) BETWEEN 1 AND 20),
    country         text    CHECK (country ~ '^[A-Z]{2}$'),
    latitude        numeric(8, 6) CHECK (latitude BETWEEN -90 AND 90),
    longitude       numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
    CHECK ((address_1 IS NULL) = (city IS NULL) AND (city IS NULL) = (state_province IS NULL)
           AND (state_province IS NULL) = (postal_code IS NULL) AND (postal_code IS NULL) = (country IS NULL)),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX provider_locations_by_provider ON provider_locations (provider_id);

-- A phone number of the provider, optionally of one of its locations.
CREATE TABLE provider_phones (
    id          bigserial PRIMARY KEY,
    provider_id bigint NOT NULL REFERENCES providers(id),
    uuid        uuid   NOT NULL UNIQUE,
    location_id bigint REFERENCES provider_locations(id),
    number      text   NOT NULL CHECK (number ~ '^\+?[0-9][0-9 ()./-]{2,29}$'),
    extension   integer CHECK (extension BETWEEN 0 AND 99999999),
    type        text   CHECK (type IN ('text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone')),
    description text   CHECK (length(description) BETWEEN 1 AND 200)
);
CREATE INDEX provider_phones_by_provider ON provider_phones (provider_id);

-- A person or desk to ask for at the provider (a referral focal point): not case data.
CREATE TABLE provider_contacts (
    id          bigserial PRIMARY KEY,
    provider_id bigint NOT NULL REFERENCES providers(id),
    uuid        uuid   NOT NULL UNIQUE,
    name        text   CHECK (length(name) BETWEEN 1 AND 200),
    title       text   CHECK (length(title) BETWEEN 1 AND 200),
    department  text   CHECK (length(department) BETWEEN 1 AND 200),
    email       text   CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254),
    CHECK (name IS NOT NULL OR title IS NOT NULL OR department IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX provider_contacts_by_provider ON provider_contacts (provider_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON provider_locations, provider_phones, provider_contacts
    TO passage_casework, passage_service;
GRANT USAGE, SELECT ON SEQUENCE provider_locations_id_seq, provider_phones_id_seq, provider_contacts_id_seq
    TO passage_casework, passage_service;
