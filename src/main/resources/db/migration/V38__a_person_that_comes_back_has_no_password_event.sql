-- A person that comes back (a create whose email names a person that left) is given the password the
-- create carries, by an UPDATE of its row in the create's own statement. journal_password took that for a
-- change of the password and, as the row trigger of the UPDATE the statement runs first, journalled it
-- before the create: a receiver was told of a password change of a user it had been told was deleted,
-- before the user came back. Creates never journal the password (a new person's INSERT fires nothing);
-- the statement that brings a person back now names it in scim.joining (MemberRows.INSERT_WITH_PERSON),
-- and the trigger passes over that person's row once and forgets the name, so that a later change of the
-- password in the same transaction (a Bulk) is journalled.
CREATE OR REPLACE FUNCTION journal_password() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('scim.joining', true) = NEW.id::text THEN
        PERFORM set_config('scim.joining', '', true);
        RETURN NULL;
    END IF;
    IF OLD.password_hash IS DISTINCT FROM NEW.password_hash THEN
        INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                    operation, changed_attributes, member_ids)
        SELECT m.workspace_id, nullif(current_setting('scim.credential', true), ''),
               nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
               'User', NEW.id, 'password', ARRAY['password'], NULL
        FROM workspace_members m WHERE m.user_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
