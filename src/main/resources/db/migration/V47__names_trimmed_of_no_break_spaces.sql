-- Names are kept trimmed (V12), but the server trimmed them with Java's String.strip(), which keeps a
-- no-break space (U+00A0, U+2007, U+202F) or NEL (U+0085) at an end: "ada" and "ada" followed by a
-- no-break space were two users, and two groups. The server now trims all of Unicode's White_Space and
-- reads a filter's value so, so a name stored with one of the four at an end would no longer be found
-- by its own spelling, and the IdP's next create would make a second member beside it. Such names are
-- trimmed here as the server now keeps them: the members' userNames and email addresses, the people's
-- sign-in emails, the custom groups' names and the role mappings that name those groups. Each member
-- and group changed gets a new version (its representation changed); the journal records the change,
-- by no credential.
--
-- A name that trimmed would be another's (the duplicate the old trimming let in), would be empty, or
-- would be a role's, is left as it was, and a warning says where to look: which of two is the person
-- is the operator's call, and refusing to start would stop the provisioning of every other row. Only
-- these four characters can be at an end of a name this server stored (strip() and V12 took the
-- rest), so only names holding one are read. The escapes need a UTF-8 database; in another encoding
-- names are left as they are.
DO $trim$
DECLARE
    left_as_they_were text := '';
    trimmed bigint;
    ws record;
    mapping jsonb;
    ordinal bigint;
    mapped text;
    target text;
    pending boolean;
    rewritten jsonb;
    mappings_removed bigint := 0;
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RETURN;
    END IF;
    -- Unicode's White_Space (and the four information separators Java counts as white space), as
    -- Names.trimmed reads it.
    CREATE FUNCTION pg_temp.trimmed(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
        SELECT regexp_replace(value, '^' || s.class || '+|' || s.class || '+$', '', 'g')
        FROM (SELECT '[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
              AS class) s
    $f$;
    -- A UUID as the server reads a mapping's group (CanonicalUuids): 8-4-4-4-12 hex digits, any case.
    CREATE FUNCTION pg_temp.id_form() RETURNS text LANGUAGE sql IMMUTABLE AS $f$
        SELECT '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    $f$;
    CREATE FUNCTION pg_temp.holds_kept_space(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
        SELECT value ~ '[\u0085\u00a0\u2007\u202f]'
    $f$;
    CREATE FUNCTION pg_temp.trimmed_emails(emails jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
        SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e.v->'value') = 'string'
                                       THEN jsonb_set(e.v, '{value}', to_jsonb(pg_temp.trimmed(e.v->>'value')))
                                       ELSE e.v END ORDER BY e.n), '[]'::jsonb)
        FROM jsonb_array_elements(emails) WITH ORDINALITY AS e(v, n)
    $f$;

    -- Members: a userName and the addresses of its emails, trimmed together or not at all.
    CREATE TEMP TABLE v47_members ON COMMIT DROP AS
    SELECT m.workspace_id, m.user_id, pg_temp.trimmed(m.user_name) AS user_name, e.emails
    FROM workspace_members m,
         LATERAL (SELECT CASE WHEN jsonb_typeof(m.attributes->'emails') = 'array'
                              THEN pg_temp.trimmed_emails(m.attributes->'emails') END AS emails) e
    WHERE (pg_temp.holds_kept_space(m.user_name) OR pg_temp.holds_kept_space((m.attributes->'emails')::text))
      AND (pg_temp.trimmed(m.user_name) <> m.user_name OR e.emails <> m.attributes->'emails');
    CREATE TEMP TABLE v47_member_emails ON COMMIT DROP AS
    SELECT t.workspace_id, t.user_id, e.v->>'value' AS value
    FROM v47_members t, jsonb_array_elements(coalesce(t.emails, '[]'::jsonb)) AS e(v)
    WHERE jsonb_typeof(e.v->'value') = 'string';
    DELETE FROM v47_members t
    WHERE t.user_name = ''
       OR EXISTS (SELECT 1 FROM workspace_members o WHERE o.workspace_id = t.workspace_id AND o.user_id <> t.user_id
                  AND scim_fold(o.user_name) = scim_fold(t.user_name))
       OR EXISTS (SELECT 1 FROM v47_members o WHERE o.workspace_id = t.workspace_id AND o.user_id <> t.user_id
                  AND scim_fold(o.user_name) = scim_fold(t.user_name))
       OR EXISTS (SELECT 1 FROM v47_member_emails e WHERE e.workspace_id = t.workspace_id AND e.user_id = t.user_id
                  AND (e.value = ''
                       OR EXISTS (SELECT 1 FROM member_emails o WHERE o.workspace_id = e.workspace_id
                                  AND o.user_id <> e.user_id AND scim_fold(o.value) = scim_fold(e.value))
                       OR EXISTS (SELECT 1 FROM v47_member_emails o WHERE o.workspace_id = e.workspace_id
                                  AND o.user_id <> e.user_id AND scim_fold(o.value) = scim_fold(e.value))));
    GET DIAGNOSTICS trimmed = ROW_COUNT;
    IF trimmed > 0 THEN
        left_as_they_were := left_as_they_were || format(' %s members (userName or an email);', trimmed);
    END IF;
    UPDATE workspace_members m
    SET user_name = t.user_name,
        attributes = CASE WHEN t.emails IS NULL THEN m.attributes ELSE jsonb_set(m.attributes, '{emails}', t.emails) END
                     || CASE WHEN m.attributes ? 'userName' THEN jsonb_build_object('userName', t.user_name)
                             ELSE '{}'::jsonb END,
        version = m.version + 1,
        last_modified = now()
    FROM v47_members t
    WHERE m.workspace_id = t.workspace_id AND m.user_id = t.user_id;

    -- People: the sign-in email, unique across workspaces.
    CREATE TEMP TABLE v47_people ON COMMIT DROP AS
    SELECT id, pg_temp.trimmed(email) AS email FROM users
    WHERE pg_temp.holds_kept_space(email) AND pg_temp.trimmed(email) <> email;
    DELETE FROM v47_people t
    WHERE t.email = ''
       OR EXISTS (SELECT 1 FROM users o WHERE o.id <> t.id AND scim_fold(o.email) = scim_fold(t.email))
       OR EXISTS (SELECT 1 FROM v47_people o WHERE o.id <> t.id AND scim_fold(o.email) = scim_fold(t.email));
    GET DIAGNOSTICS trimmed = ROW_COUNT;
    IF trimmed > 0 THEN
        left_as_they_were := left_as_they_were || format(' %s people''s emails (users.email);', trimmed);
    END IF;
    UPDATE users u SET email = t.email, updated_at = now() FROM v47_people t WHERE u.id = t.id;

    -- Custom groups. One whose trimmed name would read as an id is kept as it was: a mapping naming it
    -- by that name would also name the group with that id.
    CREATE TEMP TABLE v47_groups ON COMMIT DROP AS
    SELECT id, workspace_id, name AS was, pg_temp.trimmed(name) AS name FROM groups
    WHERE type = 'custom' AND pg_temp.holds_kept_space(name) AND pg_temp.trimmed(name) <> name;
    DELETE FROM v47_groups t
    WHERE t.name = '' OR scim_fold(t.name) IN ('admin', 'builder', 'end-user')
       OR EXISTS (SELECT 1 FROM groups o WHERE o.workspace_id = t.workspace_id AND o.id <> t.id
                  AND scim_fold(o.name) = scim_fold(t.name))
       OR EXISTS (SELECT 1 FROM v47_groups o WHERE o.workspace_id = t.workspace_id AND o.id <> t.id
                  AND scim_fold(o.name) = scim_fold(t.name))
       OR t.name ~* pg_temp.id_form();
    GET DIAGNOSTICS trimmed = ROW_COUNT;
    IF trimmed > 0 THEN
        left_as_they_were := left_as_they_were || format(' %s groups;', trimmed);
    END IF;
    UPDATE groups g
    SET name = t.name, attributes = jsonb_set(g.attributes, '{displayName}', to_jsonb(t.name)),
        version = g.version + 1, last_modified = now()
    FROM v47_groups t WHERE g.id = t.id;

    -- Role mappings, each as the server now writes it: trimmed, and one per group. A mapping whose name has
    -- white space at an end follows its group's new name, names by id a group kept as it was (no name the
    -- server writes today reaches it), or, naming no group, is trimmed to name the group an IdP will
    -- create under that name (stored trimmed). One naming no group that trimmed would be empty, a role's
    -- name, an id, or an existing group's name could never match a group (no group can be created under
    -- its name any more): it is removed, and so is one that named no group and names a group renamed here
    -- (kept, it would give the group's members a role it never gave; no other group can take the name).
    -- The server now also reads a mapping that reads as an id as naming the group with that id only, where
    -- it named a group whose displayName was that text too: such a mapping names that group by its own id
    -- as well (instead, where no group has the mapped id). Two mappings of one group become one with the
    -- higher role, which is what the group's members got; of two naming no group and trimmed alike, the
    -- lower role is kept. Each member's role stays what it was, and what a GET of the list returns can be
    -- PUT back.
    CREATE TEMP TABLE v47_mappings (ordinal bigint, mapping jsonb, key text, pending boolean) ON COMMIT DROP;
    FOR ws IN SELECT id, role_mappings FROM workspaces
              WHERE jsonb_typeof(role_mappings) = 'array'
                AND (pg_temp.holds_kept_space(role_mappings::text)
                     OR EXISTS (SELECT 1 FROM v47_groups t WHERE t.workspace_id = workspaces.id)
                     OR EXISTS (SELECT 1 FROM jsonb_array_elements(role_mappings) m, groups g
                                WHERE jsonb_typeof(m->'group') = 'string' AND m->>'group' ~* pg_temp.id_form()
                                  AND g.workspace_id = workspaces.id AND g.type = 'custom'
                                  AND scim_fold(g.name) = scim_fold(m->>'group'))) LOOP
        TRUNCATE v47_mappings;
        FOR mapping, ordinal IN SELECT e.v, e.n FROM jsonb_array_elements(ws.role_mappings) WITH ORDINALITY AS e(v, n)
        LOOP
            mapped := mapping->>'group';
            pending := false;
            IF jsonb_typeof(mapping->'group') = 'string' AND pg_temp.trimmed(mapped) <> mapped THEN
                SELECT g.id::text INTO target FROM groups g
                WHERE g.workspace_id = ws.id AND g.type = 'custom' AND scim_fold(g.name) = scim_fold(mapped);
                IF NOT FOUND THEN
                    target := pg_temp.trimmed(mapped);
                    pending := NOT EXISTS (SELECT 1 FROM v47_groups t WHERE t.workspace_id = ws.id
                                           AND scim_fold(t.was) = scim_fold(mapped));
                    IF pending AND (target = '' OR scim_fold(target) IN ('admin', 'builder', 'end-user')
                                    OR target ~* pg_temp.id_form()
                                    OR EXISTS (SELECT 1 FROM groups g WHERE g.workspace_id = ws.id
                                               AND scim_fold(g.name) = scim_fold(target))) THEN
                        CONTINUE;
                    END IF;
                END IF;
                mapping := jsonb_set(mapping, '{group}', to_jsonb(target));
            ELSIF jsonb_typeof(mapping->'group') = 'string'
                  AND EXISTS (SELECT 1 FROM v47_groups t WHERE t.workspace_id = ws.id
                              AND scim_fold(t.name) = scim_fold(mapped)) THEN
                CONTINUE;
            ELSIF jsonb_typeof(mapping->'group') = 'string' AND mapped ~* pg_temp.id_form() THEN
                SELECT g.id::text INTO target FROM groups g
                WHERE g.workspace_id = ws.id AND g.type = 'custom' AND scim_fold(g.name) = scim_fold(mapped);
                IF FOUND THEN
                    IF EXISTS (SELECT 1 FROM groups i WHERE i.workspace_id = ws.id AND i.type = 'custom'
                               AND i.id = mapped::uuid) THEN
                        INSERT INTO v47_mappings VALUES (2 * ordinal, mapping, scim_fold(mapped), false);
                    END IF;
                    mapping := jsonb_set(mapping, '{group}', to_jsonb(target));
                END IF;
            END IF;
            INSERT INTO v47_mappings VALUES (2 * ordinal + 1, mapping, scim_fold(mapping->>'group'), pending);
        END LOOP;
        SELECT coalesce(jsonb_agg(CASE WHEN chosen.role IS NULL THEN m.mapping
                                       ELSE jsonb_set(m.mapping, '{role}', to_jsonb(chosen.role)) END
                                  ORDER BY m.ordinal), '[]')
        INTO rewritten
        FROM v47_mappings m
        LEFT JOIN LATERAL (SELECT o.mapping->>'role' AS role FROM v47_mappings o
                           WHERE o.key = m.key AND o.pending = m.pending
                           ORDER BY CASE WHEN m.pending THEN -1 ELSE 1 END
                                    * array_position(ARRAY['end-user', 'builder', 'admin'], o.mapping->>'role') DESC
                           LIMIT 1) chosen ON true
        WHERE NOT EXISTS (SELECT 1 FROM v47_mappings o WHERE o.key = m.key
                          AND ((o.pending = m.pending AND o.ordinal < m.ordinal) OR (m.pending AND NOT o.pending)));
        mappings_removed := mappings_removed + jsonb_array_length(ws.role_mappings) - jsonb_array_length(rewritten);
        IF rewritten <> ws.role_mappings THEN
            UPDATE workspaces SET role_mappings = rewritten WHERE id = ws.id;
        END IF;
    END LOOP;

    IF left_as_they_were <> '' THEN
        RAISE WARNING '%', 'names with a no-break space (U+00A0, U+2007, U+202F) or NEL (U+0085) at an end '
            || 'were kept as they were (trimmed, each would be another''s name, empty, a role''s name or an '
            || 'id):'
            || left_as_they_were || ' merge, rename or remove them through SCIM or the console';
    END IF;
    IF mappings_removed > 0 THEN
        RAISE WARNING '%', mappings_removed || ' role mappings were removed: each named no group and could '
            || 'never name one once trimmed, or mapped a group another mapping maps (that one keeps the role '
            || 'its members got)';
    END IF;
END
$trim$;
