CREATE TYPE mood AS ENUM ('sad;', 'ok', 'happy');
ALTER TYPE mood ADD VALUE 'ecstatic;' AFTER 'happy';
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TABLE moods (m mood, n positive);
INSERT INTO moods VALUES ('sad;', 1);
