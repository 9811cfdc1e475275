--
-- Dumping data for table `mdl_files`
--

LOCK TABLES `mdl_files` WRITE;
INSERT INTO `mdl_files` VALUES (1,'5ba4987822125fdaa6f0cc1a2ba87e9d5d2906b4','d355e6be610b1528dc5412ca2d9c4748b46d3f44',5,'user','draft',336014,'/','syllabus.pdf',2,41233,'application/pdf',0,NULL,'Admin User','allrightsreserved',1700000000,1700000000,0,NULL,NULL,NULL),(2,'b33ba70250aeec25c67d6ec36ffff6380699e17d','902e9a3c0356587517089851145f20f3cda189f3',31,'mod_resource','content',0,'/','syllabus.pdf',2,41233,'application/pdf',0,NULL,'Admin User','allrightsreserved',1700000100,1700000100,0,NULL,NULL,NULL);
UNLOCK TABLES;
