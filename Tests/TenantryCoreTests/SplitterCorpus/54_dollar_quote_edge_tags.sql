SELECT $a$ $A$ is a different tag; $a$ AS case_sensitive;
SELECT $_$underscore tag;$_$ AS u, $a1$digits;$a1$ AS d;
SELECT $$$$ AS empty_body, $x$$$x$ AS dollars_inside;
CREATE FUNCTION tagged() RETURNS text LANGUAGE sql AS $function$SELECT 'x;'$function$;
SELECT tagged();
