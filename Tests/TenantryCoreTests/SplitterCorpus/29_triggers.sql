CREATE TABLE items (id int, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER items_touch BEFORE INSERT OR UPDATE ON items
    FOR EACH ROW EXECUTE FUNCTION touch();
INSERT INTO items (id) VALUES (1);
