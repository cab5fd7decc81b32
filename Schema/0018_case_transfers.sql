-- Transfer of a case between organisations (issue 24, Docs/transfers.md).
--
-- The owning organisation proposes a transfer to another organisation, with the person's consent
-- recorded and a reason code; the receiving organisation's supervisor accepts or declines. Or the
-- receiving side requests the case and the owner's supervisor grants it (recording consent then).
-- Either side may cancel an open transfer (consent withdrawn cancels it). On acceptance the case,
-- its person (re-sealed in the application for the new organisation, TransferStore), its needs
-- and its open referrals move to the receiving organisation in the same transaction; the old
-- organisation keeps only the transfer rows it was a party to.
CREATE TABLE case_transfers (
    id                   bigserial PRIMARY KEY,
    case_id              bigint  NOT NULL REFERENCES cases(id),
    from_organisation_id bigint  NOT NULL REFERENCES organisations(id),
    to_organisation_id   bigint  NOT NULL REFERENCES organisations(id),
    -- proposal: the owner offers the case; request: the receiving side asks for it
    kind                 text    NOT NULL CHECK (kind IN ('proposal', 'request')),
    status               text    NOT NULL CHECK (status IN ('proposed', 'requested', 'accepted', 'declined', 'cancelled')),
    reason               text    NOT NULL CHECK (reason ~ '^[a-z_]{1,64}$'),
    -- the person's consent, recorded by the owning side (at proposal, or when granting a request)
    consent              boolean NOT NULL DEFAULT false,
    consent_recorded_by  text,
    initiated_by         text    NOT NULL,
    initiated_at         timestamptz NOT NULL DEFAULT now(),
    decided_by           text,
    decided_at           timestamptz,
    decision_reason      text    CHECK (decision_reason ~ '^[a-z_]{1,64}$'),
    CHECK (from_organisation_id <> to_organisation_id),
    CHECK ((status IN ('proposed', 'requested')) = (decided_at IS NULL)),
    CHECK (status <> 'accepted' OR consent)
);
-- At most one open transfer per case.
CREATE UNIQUE INDEX case_transfers_one_open ON case_transfers (case_id) WHERE status IN ('proposed', 'requested');
CREATE INDEX case_transfers_by_case ON case_transfers (case_id, id);
CREATE INDEX case_transfers_by_from ON case_transfers (from_organisation_id, id);
CREATE INDEX case_transfers_by_to ON case_transfers (to_organisation_id, id);

-- Each side sees the transfers it is a party to; the case's current owner sees every transfer of
-- its case (the history of its owners). Writes only by a party.
ALTER TABLE case_transfers ENABLE ROW LEVEL SECURITY;
CREATE POLICY either_side_transfers ON case_transfers TO passage_casework
    USING (passage_scope() IN (from_organisation_id, to_organisation_id)
           OR EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id))
    WITH CHECK (passage_scope() IN (from_organisation_id, to_organisation_id));
CREATE POLICY service_outside_scope ON case_transfers TO passage_service USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON case_transfers TO passage_casework, passage_service;
GRANT USAGE, SELECT ON SEQUENCE case_transfers_id_seq TO passage_casework, passage_service;
