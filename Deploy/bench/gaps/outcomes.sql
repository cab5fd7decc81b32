-- GAPS outcomes (provider, service; every organisation) as plain SQL on the base tables.
SELECT po.name, r.service,
       count(*), (sum(r.record_key) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.accepted_at IS NOT NULL), (coalesce(sum(r.record_key) FILTER (WHERE r.accepted_at IS NOT NULL), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.status = 'declined'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'declined'), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.status = 'completed'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'completed'), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.outcome = 'successful'), (coalesce(sum(r.record_key) FILTER (WHERE r.outcome = 'successful'), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.outcome = 'unsuccessful'), (coalesce(sum(r.record_key) FILTER (WHERE r.outcome = 'unsuccessful'), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.status = 'cancelled'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'cancelled'), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE r.status = 'pending'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'pending'), 0) % 4294967296)::bigint,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.created_at)) FILTER (WHERE r.accepted_at IS NOT NULL) / 3600,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.created_at)) FILTER (WHERE r.accepted_at IS NOT NULL) / 3600,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at)) FILTER (WHERE r.status = 'completed') / 3600,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at)) FILTER (WHERE r.status = 'completed') / 3600,
       coalesce(jsonb_agg(jsonb_build_array(r.status, r.reason, r.record_key)) FILTER (WHERE r.status = 'declined' OR r.outcome = 'unsuccessful'), '[]')::text
FROM referrals r
JOIN cases c ON c.id = r.case_id
JOIN needs n ON n.id = r.need_id
JOIN need_codes nc ON nc.code = n.code
JOIN human_security_dimensions h ON h.code = nc.dimension
JOIN providers p ON p.id = r.provider_id
JOIN organisations po ON po.id = p.organisation_id
GROUP BY 1, 2;
