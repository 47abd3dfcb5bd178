-- V47 kept as it was a custom group whose trimmed name would be another's, and both of two groups
-- whose names differed only by white space at an end ("cy" followed by U+00A0, "cy" followed by
-- U+202F). No group is then stored under the trimmed name, so the IdP's next write of either group by
-- its own name renames it trimmed (the server trims what it is sent), and a role mapping that named no
-- group, such as "CY", names it from then on: its members get a role that mapping never gave them, on
-- a routine sync that changed nothing. Such mappings are removed, as V47 removed those naming a group it
-- renamed itself. A mapping that reads as an id names the group with that id only, never one renamed to
-- that text, and is kept. No member's role changes here: each mapping removed named no group.
DO $kept$
DECLARE
    ws record;
    kept jsonb;
    removed bigint := 0;
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RETURN;
    END IF;
    -- As V47 reads Unicode's White_Space (replaced: V47's is still there when both run in one session),
    -- and below a mapping's id as CanonicalUuids does.
    CREATE OR REPLACE FUNCTION pg_temp.trimmed(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
        SELECT regexp_replace(value, '^' || s.class || '+|' || s.class || '+$', '', 'g')
        FROM (SELECT '[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
              AS class) s
    $f$;
    CREATE TEMP TABLE v48_renamable ON COMMIT DROP AS
    SELECT workspace_id, scim_fold(pg_temp.trimmed(name)) AS folded FROM groups
    WHERE type = 'custom' AND name ~ '[\u0085\u00a0\u2007\u202f]' AND pg_temp.trimmed(name) <> name;
    FOR ws IN SELECT w.id, w.role_mappings FROM workspaces w
              WHERE jsonb_typeof(w.role_mappings) = 'array'
                AND EXISTS (SELECT 1 FROM v48_renamable r WHERE r.workspace_id = w.id) LOOP
        SELECT coalesce(jsonb_agg(e.v ORDER BY e.n), '[]') INTO kept
        FROM jsonb_array_elements(ws.role_mappings) WITH ORDINALITY AS e(v, n)
        WHERE NOT (jsonb_typeof(e.v->'group') = 'string'
                   AND e.v->>'group' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                   AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.workspace_id = ws.id AND g.type = 'custom'
                                   AND scim_fold(g.name) = scim_fold(e.v->>'group'))
                   AND EXISTS (SELECT 1 FROM v48_renamable r WHERE r.workspace_id = ws.id
                               AND r.folded = scim_fold(e.v->>'group')));
        IF kept <> ws.role_mappings THEN
            removed := removed + jsonb_array_length(ws.role_mappings) - jsonb_array_length(kept);
            UPDATE workspaces SET role_mappings = kept WHERE id = ws.id;
        END IF;
    END LOOP;
    IF removed > 0 THEN
        RAISE WARNING '%', removed || ' role mappings were removed: each named no group, and would have named a '
            || 'group kept with a no-break space at an end of its name once the IdP renamed it trimmed';
    END IF;
END
$kept$;
