CREATE FUNCTION make_greeter() RETURNS void LANGUAGE plpgsql AS $outer$
BEGIN
    EXECUTE $inner$
        CREATE FUNCTION greet(who text) RETURNS text LANGUAGE sql AS $body$
            SELECT 'hello; ' || who;
        $body$
    $inner$;
    RAISE NOTICE 'created; %', $x$greet$x$;
END;
$outer$;
SELECT make_greeter();
SELECT greet('world');
