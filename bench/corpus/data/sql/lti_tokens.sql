--
-- Dumping data for table `mdl_lti_access_tokens`
--

INSERT INTO `mdl_lti_access_tokens` (`id`, `typeid`, `scope`, `token`, `validuntil`, `timecreated`, `lastaccess`) VALUES
(1, 4, '["https://purl.imsglobal.org/spec/lti-ags/scope/score"]', '379bc8a76252756f58ac43baad85f8ec', 1733000000, 1732996400, NULL);
INSERT INTO `mdl_sessions` (`id`, `state`, `sid`, `userid`, `timecreated`, `timemodified`, `firstip`, `lastip`) VALUES
(7, 0, 'k9q2p0v8d7s6a5m4n3b2c1x0z9', 2, 1732996400, 1732996500, '10.0.0.7', '10.0.0.7');
