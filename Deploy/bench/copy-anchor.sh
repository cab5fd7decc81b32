# The anchor of a demo load (gaps.sh, cost-curve.sh): the rows `passage demo` loaded, exported
# from its tables, then loaded again by `psql \copy` into tables of the same shape (`LIKE …
# INCLUDING ALL`: columns, constraints, indexes; plus the same foreign keys) in one transaction,
# as the demo loads them. Sourced after common.sh, with psql_ defined (psql as the cluster's
# owner on the database); copy_anchor WORK prints the seconds of the load, WORK a directory
# the cluster's owner can write. The anchor tables stay, in schema `anchor`, until
# drop_anchor.
copy_anchor() {
  local work=$1 t table cols_var start
psql_ <<'SQL'
CREATE SCHEMA anchor;
CREATE TABLE anchor.cases (LIKE public.cases INCLUDING ALL);
ALTER TABLE anchor.cases ADD FOREIGN KEY (organisation_id) REFERENCES organisations(id), ADD FOREIGN KEY (person_id) REFERENCES persons(id);
CREATE TABLE anchor.needs (LIKE public.needs INCLUDING ALL);
ALTER TABLE anchor.needs ADD FOREIGN KEY (case_id) REFERENCES anchor.cases(id), ADD FOREIGN KEY (organisation_id) REFERENCES organisations(id),
  ADD FOREIGN KEY (code) REFERENCES need_codes(code), ADD FOREIGN KEY (priority) REFERENCES referral_priorities(priority);
CREATE TABLE anchor.referrals (LIKE public.referrals INCLUDING ALL);
ALTER TABLE anchor.referrals ADD FOREIGN KEY (case_id) REFERENCES anchor.cases(id), ADD FOREIGN KEY (need_id) REFERENCES anchor.needs(id),
  ADD FOREIGN KEY (provider_id) REFERENCES providers(id), ADD FOREIGN KEY (service) REFERENCES service_types(code),
  ADD FOREIGN KEY (referring_organisation_id) REFERENCES organisations(id), ADD FOREIGN KEY (receiving_organisation_id) REFERENCES organisations(id),
  ADD FOREIGN KEY (priority) REFERENCES referral_priorities(priority);
CREATE TABLE anchor.referral_events (LIKE public.referral_events INCLUDING ALL);
ALTER TABLE anchor.referral_events ADD FOREIGN KEY (referral_id) REFERENCES anchor.referrals(id), ADD FOREIGN KEY (actor_organisation_id) REFERENCES organisations(id);
SQL
cases_cols="id, organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by, primary_category, categories, review, created_at, classified_at, updated_at, record_key"
needs_cols="id, case_id, organisation_id, code, priority, status, identified_by, identified_at, version, updated_at, record_key"
referrals_cols="id, case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id, priority, status, outcome, reason, consent, caregiver_informed, created_by, created_at, due_at, accepted_at, closed_at, version, updated_at, record_key"
events_cols="id, referral_id, at, actor, from_status, to_status, outcome, reason, actor_organisation_id"
for t in cases needs referrals events; do
  table=$t; [ "$t" = events ] && table=referral_events
  cols_var="${t}_cols"
  psql_ -c "\copy (SELECT ${!cols_var} FROM public.$table ORDER BY id) TO '$work/$t.copy'"
done
start=$(date +%s.%N)
psql_ <<SQL
BEGIN;
\copy anchor.cases ($cases_cols) FROM '$work/cases.copy'
\copy anchor.needs ($needs_cols) FROM '$work/needs.copy'
\copy anchor.referrals ($referrals_cols) FROM '$work/referrals.copy'
\copy anchor.referral_events ($events_cols) FROM '$work/events.copy'
COMMIT;
SQL
python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.2f}')" "$start"
}

drop_anchor() { psql_ -c "DROP SCHEMA anchor CASCADE"; }
