-- Which key each person's blind-index rows were computed under (issue 23, Docs/finding-persons.md
-- §4 "Rotation"). The rows of `person_match_keys` are HMACs under a key derived from the
-- personal-data key, so a rotation of that key makes them unreachable for a search under the new
-- one. The application stamps each person with the generation of the key its rows were written
-- under (a 64-bit fingerprint of the index key, itself an HMAC under that key: it says which key,
-- never what the key is) in the same transaction as the rows; `passage pii-key rotate` and a
-- start without a previous key rebuild, in batches, exactly the persons whose generation is not
-- the current key's. NULL: indexed before this column (or never): rebuilt once by the next start.
ALTER TABLE persons ADD COLUMN match_key_generation bigint;
