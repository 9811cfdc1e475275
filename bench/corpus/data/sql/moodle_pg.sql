--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';

--
-- Data for Name: mdl_external_tokens; Type: TABLE DATA; Schema: public; Owner: moodle
--

COPY public.mdl_external_tokens (id, token, privatetoken, tokentype, userid, externalserviceid, sid, contextid, creatorid, iprestriction, validuntil, timecreated, lastaccess, name) FROM stdin;
3	f5a770dc639789426f3a36491fbff5a6	XT4MMFfE8RSbvCooIlk81upeC20bJBpzmF5tpuR5XTMm0nDcPbGozYeBxW5Skb86	0	5	1	\N	1	2	\N	0	1731000000	1731500000	Webservice-Lm4Np
4	76ddd27d6abaccbf9e52cfcbfab93875	\N	0	9	3	\N	1	2	10.0.0.0/8	1767225600	1731100000	\N	Webservice-Zx7Cv
\.


--
-- Data for Name: mdl_files; Type: TABLE DATA; Schema: public; Owner: moodle
--

COPY public.mdl_files (id, contenthash, pathnamehash, contextid, component, filearea, itemid, filepath, filename) FROM stdin;
11	c655e5499eb3fee7d0025c5d082a5c8c64186cb4	e9175f5d1334bd12339f68c60c01ef2d16b59fb5	31	mod_resource	content	0	/	notes.pdf
\.
