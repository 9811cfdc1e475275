--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';

--
-- Data for Name: mdl_external_tokens; Type: TABLE DATA; Schema: public; Owner: moodle
--

COPY public.mdl_external_tokens (id, token, privatetoken, tokentype, userid, externalserviceid, sid, contextid, creatorid, iprestriction, validuntil, timecreated, lastaccess, name) FROM stdin;
3	09ff0a966b49ed7d3c449be91471f6ef	Z3PGMP9R2hTyK5OpRx6R6zbVOtqh1QtRSdJZCFWvB7MzpMy9MszT6QaKDUvpmCvX	0	5	1	\N	1	2	\N	0	1731000000	1731500000	Webservice-Lm4Np
4	db629cadae60e4a001aa29c4fa19455e	\N	0	9	3	\N	1	2	10.0.0.0/8	1767225600	1731100000	\N	Webservice-Zx7Cv
\.


--
-- Data for Name: mdl_files; Type: TABLE DATA; Schema: public; Owner: moodle
--

COPY public.mdl_files (id, contenthash, pathnamehash, contextid, component, filearea, itemid, filepath, filename) FROM stdin;
11	b52f55700041ef53576ac51bd4fac39cc6fc4186	3782b07132549f9ae7b5f713c3ca51b2b989606b	31	mod_resource	content	0	/	notes.pdf
\.
