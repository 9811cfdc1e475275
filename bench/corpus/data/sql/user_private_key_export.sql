-- Export of user keys before the 4.1 upgrade (columns as the old export tool wrote them)
INSERT INTO mdl_user_private_key VALUES
  (88,'rss',2301,0,'6f1e9a3c5b7d20e48a6c1f3b5d7e9a02','',0,1699000000),
  (89,'core_files',2301,0,'b0c2e4a6d8f01325a7c9e1b3d5f7a9c4','',0,1699000400);
