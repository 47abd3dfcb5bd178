-- A User's email addresses searched in the member's own row, as V31 does for the names.
--
-- The operator's search looks in userName, the names and the emails at once, an OR that PostgreSQL
-- answers by joining each branch's index (a BitmapOr) only when every branch tests the member's own
-- row. The emails live in member_emails, so their branch was the ids of the matching emails' owners
-- gathered into an array; a trigram index returns candidates that PostgreSQL checks again, and that
-- check compared each of them with the array one id at a time: at a million members, the count of a
-- search of two letters took seconds. One generated column holds the member's email values folded,
-- one to a line, and its trigram index gives that branch candidates of the row itself; the filter then
-- compares the emails themselves (FilterSql), and a match that spans two lines is a candidate and no
-- more. member_emails keeps its rows and indexes: equality, sorting and a test of one email's fields
-- together (emails[type eq "work" and value co "x"]) use them.
--
-- The column changes only when the emails do, so an update that leaves them alone is still made in
-- place (V19). Adding it rewrites the table under an exclusive lock, once.
SET LOCAL maintenance_work_mem = '256MB';

-- The values member_emails' trigger copies (V11): an element's value when the element is an object.
CREATE FUNCTION scim_email_lines(emails jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(e.v ->> 'value', E'\n' ORDER BY e.n)
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(emails) = 'array' THEN emails ELSE '[]'::jsonb END)
         WITH ORDINALITY AS e(v, n)
    WHERE jsonb_typeof(e.v) = 'object'
$$;

ALTER TABLE workspace_members ADD COLUMN searched_emails text
    GENERATED ALWAYS AS (scim_fold(scim_email_lines(attributes -> 'emails'))) STORED;

CREATE INDEX workspace_members_searched_emails_trgm ON workspace_members
    USING gin (searched_emails gin_trgm_ops);

-- As in V31: the planner needs the new column's statistics to cost a search of the emails.
ANALYZE workspace_members;
