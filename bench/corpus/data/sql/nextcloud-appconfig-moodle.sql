-- nextcloud: user preferences of the Moodle integration app (pg_dump --inserts)
SET client_encoding = 'UTF8';

INSERT INTO public.oc_preferences (userid, appid, configkey, configvalue) VALUES ('mgarcia', 'integration_moodle', 'url', 'https://aulavirtual.example.es');
INSERT INTO public.oc_preferences (userid, appid, configkey, configvalue) VALUES ('mgarcia', 'integration_moodle', 'token', '85d04d2375bd64c85440b655c7d41ad8');
INSERT INTO public.oc_preferences (userid, appid, configkey, configvalue) VALUES ('mgarcia', 'integration_moodle', 'privatetoken', 'OSxceQTYsvStA7V7cuBN9riRxPixBBB8jdGABoaEfCkF1WXMFIMai0jlnYcERzfs');
INSERT INTO public.oc_preferences (userid, appid, configkey, configvalue) VALUES ('mgarcia', 'integration_moodle', 'search_courses_enabled', '1');
