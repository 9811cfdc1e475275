--
-- Dumping data for table `mdl_files`
--

LOCK TABLES `mdl_files` WRITE;
INSERT INTO `mdl_files` VALUES (1,'98fca1e9318fab7c8e2bb8ccd05654bac8d22006','b9c943591d8c15b8573b3d82e4825bb647c6bc2f',5,'user','draft',336014,'/','syllabus.pdf',2,41233,'application/pdf',0,NULL,'Admin User','allrightsreserved',1700000000,1700000000,0,NULL,NULL,NULL),(2,'068bfd56c2e5b3e1bc56fe1e677f6a40f188ddfd','f8d839d3a1cd91fdf88ca979d0f28d287e1ee33e',31,'mod_resource','content',0,'/','syllabus.pdf',2,41233,'application/pdf',0,NULL,'Admin User','allrightsreserved',1700000100,1700000100,0,NULL,NULL,NULL);
UNLOCK TABLES;
