-- Ünïcödé comments; 日本語のコメント; emoji 🐘;
CREATE TABLE "tâble_é" ("naïve;" text, "名前" text);
INSERT INTO "tâble_é" VALUES ('crème brûlée; 🍮', 'データ;'), ('Ω≈ç√∫', '👩‍💻');
SELECT "名前", length("naïve;") FROM "tâble_é" WHERE "naïve;" LIKE '%🍮%';
/* 🐘 block comment ; */ SELECT 'ß' AS eszett;
