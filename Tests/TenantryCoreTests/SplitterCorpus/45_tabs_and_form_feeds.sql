	CREATE TABLE tabbed (	id int	);	

INSERT INTO tabbed	VALUES (1);
	 SELECT	*	FROM tabbed;
