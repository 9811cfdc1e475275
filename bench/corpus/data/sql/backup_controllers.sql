--
-- Dumping data for table `mdl_backup_controllers`
--

LOCK TABLES `mdl_backup_controllers` WRITE;
INSERT INTO `mdl_backup_controllers` VALUES (1,'c7e0facd5e186d3b55232da9e7c3bbb0','backup','course',2,'moodle2',0,50,2,1000,1,0,'20e4f3c8d4a2742015ce635446c91115',1756500000,1756500010,0.00000000000000,''),(2,'ad531c9a9fd4ff11901b81c0f75bbec5','restore','course',3,'moodle2',1,10,2,1000,1,0,'f050d58b4ba6fc61e8e0b157247bd099',1756500100,1756500190,0.00000000000000,'');
UNLOCK TABLES;
