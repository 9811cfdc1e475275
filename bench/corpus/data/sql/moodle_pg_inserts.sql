--
-- PostgreSQL database dump
--

-- Dumped from database version 15.6
-- Dumped by pg_dump version 15.6

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

--
-- Data for Name: mdl_external_tokens; Type: TABLE DATA; Schema: public; Owner: moodle
--

INSERT INTO public.mdl_external_tokens VALUES (1, 'e6bb4f619d630404f62ced520d0f4709', 'NAk6UohRFvsMWsuTXRPdi52uLWOgsqg0SIfKTzioLilE2Z1rgdAaYjOVV7lTzHIs', 0, 2, 1, NULL, 1, 2, NULL, 0, 1726000000, 1726100000, 'Webservice-Lp2Rd');
INSERT INTO public.mdl_external_tokens VALUES (2, 'b03c3dd46e346e751bac924e2144b578', NULL, 0, 318, 4, NULL, 1, 2, '10.20.0.0/16', 0, 1726200000, NULL, 'Webservice-Zq8Tm');

--
-- PostgreSQL database dump complete
--
