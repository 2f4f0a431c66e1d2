CREATE TABLE explained (id int);
EXPLAIN (COSTS OFF) SELECT * FROM explained WHERE id = 1;
CHECKPOINT;
DISCARD PLANS;
LISTEN "channel;name";
NOTIFY "channel;name", 'payload; here';
UNLISTEN *;
