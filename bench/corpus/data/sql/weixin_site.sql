INSERT INTO `ims_core_settings` (`key`, `value`) VALUES
('platform', 'a:3:{s:5:"token";s:32:"4f94fcd3f56c4041c3e09aff62c9db20";s:14:"encodingaeskey";s:43:"Qe7Rk2Wm9Tz4Lp0Xc8Vb3Nn6Hs1Jd5Fg0Ya2Uk7Io4P";s:5:"appid";s:18:"wx3c81d0a9f27e4b65";}');
