-- A database made before the core schema and the demo's registrations were split: commit 8019a06
-- (revision 0009 of the one linear chain), then create_node_enrollment and provision_node_enrollment
-- run once by that code. tests/migrations/test_pre_split_upgrade.py upgrades it to the new layout.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES('0009');
CREATE TABLE workflows (
	workflow_id CHAR(32) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	target VARCHAR(32) NOT NULL, 
	description TEXT NOT NULL, 
	is_task BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_workflows PRIMARY KEY (workflow_id), 
	CONSTRAINT uq_workflows_name UNIQUE (name)
);
INSERT INTO workflows VALUES('02bb6b295b5144e289c7df1c11f3a2ea','modify_note','MODIFY','Modify Note',0,'2026-11-30 17:46:15.033527',NULL);
INSERT INTO workflows VALUES('f1cf528fc8804dd5bcdf4b12bd79c08d','create_node_enrollment','CREATE','Create Node Enrollment Service',0,'2026-11-30 17:46:15.041257',NULL);
INSERT INTO workflows VALUES('4393eb5e69a147f0a2a48389e771c636','provision_node_enrollment','MODIFY','Provision Node Enrollment',0,'2026-11-30 17:46:15.042568',NULL);
INSERT INTO workflows VALUES('1439dcfb93504ed885b69bfdb7d5c450','modify_node_enrollment','MODIFY','Modify Node Enrollment',0,'2026-11-30 17:46:15.043681',NULL);
INSERT INTO workflows VALUES('bfeed10115e249a3ac15c598e3e38ee0','validate_node_enrollment','SYSTEM','Validate Node Enrollment before production',0,'2026-11-30 17:46:15.048743',NULL);
INSERT INTO workflows VALUES('f60540e7d02f4105a185ddbc70496ece','terminate_node_enrollment','TERMINATE','Terminate Node Enrollment subscription',0,'2026-11-30 17:46:15.049669',NULL);
INSERT INTO workflows VALUES('1737cc947b3a4a72afe545669353b9dc','task_validate_subscriptions','SYSTEM','Validate subscriptions',1,'2026-11-30 17:46:15.050529',NULL);
CREATE TABLE processes (
	process_id CHAR(32) NOT NULL, 
	workflow_id CHAR(32) NOT NULL, 
	assignee VARCHAR(50) NOT NULL, 
	last_status VARCHAR(50) NOT NULL, 
	last_step VARCHAR(255), 
	started_at DATETIME NOT NULL, 
	last_modified_at DATETIME NOT NULL, 
	failed_reason TEXT, 
	traceback TEXT, 
	created_by VARCHAR(255), 
	is_task BOOLEAN NOT NULL, 
	flow_run_id CHAR(32), 
	executor_id VARCHAR(255), 
	lease_expires_at DATETIME, 
	CONSTRAINT pk_processes PRIMARY KEY (process_id), 
	CONSTRAINT fk_processes_workflow_id_workflows FOREIGN KEY(workflow_id) REFERENCES workflows (workflow_id)
);
INSERT INTO processes VALUES('0a22721cfead49ceaed8cb1567b78184','f1cf528fc8804dd5bcdf4b12bd79c08d','SYSTEM','completed','Done','2026-11-30 17:46:15.135844','2026-11-30 17:46:38.585184',NULL,NULL,'legacy',0,'6154832659304d7fbc1b27a4d293f980','vm:13317:e8285920',NULL);
INSERT INTO processes VALUES('548bd23d9d724d86abe1d2cd5169b78d','4393eb5e69a147f0a2a48389e771c636','SYSTEM','completed','Done','2026-11-30 17:46:38.749181','2026-11-30 17:46:39.367363',NULL,NULL,'legacy',0,'67dcd4cc64da46069351fc1420144f33','vm:13317:e8285920',NULL);
CREATE TABLE input_states (
	input_state_id CHAR(32) NOT NULL, 
	process_id CHAR(32) NOT NULL, 
	input_state JSON NOT NULL, 
	input_time DATETIME NOT NULL, 
	input_type VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_input_states PRIMARY KEY (input_state_id), 
	CONSTRAINT fk_input_states_process_id_processes FOREIGN KEY(process_id) REFERENCES processes (process_id) ON DELETE CASCADE
);
INSERT INTO input_states VALUES('6c4d554c1bea4602850c506762700536','0a22721cfead49ceaed8cb1567b78184','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/"}','2026-11-30 17:46:15.141650','initial_state');
INSERT INTO input_states VALUES('68e025c8ad8c49f38be464b2ddd08f5e','0a22721cfead49ceaed8cb1567b78184','{"user_inputs": [{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01"}, {"customer_id": "legacy-customer", "select_node": "ams-rt1", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net"}]}','2026-11-30 17:46:15.141661','user_input');
INSERT INTO input_states VALUES('199cab3811cb4914a2b6d53cc4c7c3c2','548bd23d9d724d86abe1d2cd5169b78d','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4}','2026-11-30 17:46:38.750165','initial_state');
INSERT INTO input_states VALUES('12707f891d5342208548605e69a5524e','548bd23d9d724d86abe1d2cd5169b78d','{"user_inputs": [{"subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c"}]}','2026-11-30 17:46:38.750171','user_input');
CREATE TABLE process_steps (
	step_id INTEGER NOT NULL, 
	process_id CHAR(32) NOT NULL, 
	step_index INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	status VARCHAR(50) NOT NULL, 
	state JSON NOT NULL, 
	created_by VARCHAR(255), 
	started_at DATETIME NOT NULL, 
	completed_at DATETIME NOT NULL, 
	commit_hash VARCHAR(64), 
	CONSTRAINT pk_process_steps PRIMARY KEY (step_id), 
	CONSTRAINT fk_process_steps_process_id_processes FOREIGN KEY(process_id) REFERENCES processes (process_id) ON DELETE CASCADE
);
INSERT INTO process_steps VALUES(1,'0a22721cfead49ceaed8cb1567b78184',0,'Start','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/"}','legacy','2026-11-30 17:46:37.754903','2026-11-30 17:46:37.770600','unknown');
INSERT INTO process_steps VALUES(2,'0a22721cfead49ceaed8cb1567b78184',1,'Construct Node Enrollment model','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Initial Subscription", "status": "initial", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 1, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": null, "url": null, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": null, "site_id": null, "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams"}','legacy','2026-11-30 17:46:37.838509','2026-11-30 17:46:37.915692','unknown');
INSERT INTO process_steps VALUES(3,'0a22721cfead49ceaed8cb1567b78184',2,'Create Process Subscription relation','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Initial Subscription", "status": "initial", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 1, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": null, "url": null, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": null, "site_id": null, "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams"}','legacy','2026-11-30 17:46:37.954396','2026-11-30 17:46:37.970703','unknown');
INSERT INTO process_steps VALUES(4,'0a22721cfead49ceaed8cb1567b78184',3,'Store node details','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Initial Subscription", "status": "initial", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 2, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams"}','legacy','2026-11-30 17:46:38.009929','2026-11-30 17:46:38.134259','unknown');
INSERT INTO process_steps VALUES(5,'0a22721cfead49ceaed8cb1567b78184',4,'Create node enrollment service in NSO','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Initial Subscription", "status": "initial", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 2, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3"}','legacy','2026-11-30 17:46:38.172859','2026-11-30 17:46:38.197631','unknown');
INSERT INTO process_steps VALUES(6,'0a22721cfead49ceaed8cb1567b78184',5,'Update subscription name with node info','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 3, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3"}','legacy','2026-11-30 17:46:38.231713','2026-11-30 17:46:38.312016','unknown');
INSERT INTO process_steps VALUES(7,'0a22721cfead49ceaed8cb1567b78184',6,'Set subscription to ''provisioning''','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3"}','legacy','2026-11-30 17:46:38.361860','2026-11-30 17:46:38.408172','unknown');
INSERT INTO process_steps VALUES(8,'0a22721cfead49ceaed8cb1567b78184',7,'Unlock subscription','success','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": true, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3"}','legacy','2026-11-30 17:46:38.451402','2026-11-30 17:46:38.512585','unknown');
INSERT INTO process_steps VALUES(9,'0a22721cfead49ceaed8cb1567b78184',8,'Done','complete','{"process_id": "0a22721c-fead-49ce-aed8-cb1567b78184", "reporter": "legacy", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "product_name": "Node Enrollment", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "role_id": "core", "url": "https://ams-rt1.mgmt.example.net/", "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": true, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "subscription_description": "Node ams-rt1 Initial Subscription", "role": "core", "site_id": "ams", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3"}','legacy','2026-11-30 17:46:38.547901','2026-11-30 17:46:38.549651','unknown');
INSERT INTO process_steps VALUES(10,'548bd23d9d724d86abe1d2cd5169b78d',0,'Start','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4}','legacy','2026-11-30 17:46:39.157433','2026-11-30 17:46:39.158794','unknown');
INSERT INTO process_steps VALUES(11,'548bd23d9d724d86abe1d2cd5169b78d',1,'Create Process Subscription relation','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4}','legacy','2026-11-30 17:46:39.172026','2026-11-30 17:46:39.175493','unknown');
INSERT INTO process_steps VALUES(12,'548bd23d9d724d86abe1d2cd5169b78d',2,'Lock subscription','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4, "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "__old_subscriptions__": {"d83f39b7-0823-4159-b025-7ce083fbcf9c": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}}}','legacy','2026-11-30 17:46:39.182854','2026-11-30 17:46:39.197340','unknown');
INSERT INTO process_steps VALUES(13,'548bd23d9d724d86abe1d2cd5169b78d',3,'Load initial state','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4, "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "__old_subscriptions__": {"d83f39b7-0823-4159-b025-7ce083fbcf9c": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}}, "node_name": "ams-rt1"}','legacy','2026-11-30 17:46:39.226918','2026-11-30 17:46:39.232837','unknown');
INSERT INTO process_steps VALUES(14,'548bd23d9d724d86abe1d2cd5169b78d',4,'Deploy system service in NSO','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4, "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "__old_subscriptions__": {"d83f39b7-0823-4159-b025-7ce083fbcf9c": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}}, "node_name": "ams-rt1", "system_service_id": "90536e3d-2b17-5cd6-84cf-c5c02a40e0bf"}','legacy','2026-11-30 17:46:39.241254','2026-11-30 17:46:39.250757','unknown');
INSERT INTO process_steps VALUES(15,'548bd23d9d724d86abe1d2cd5169b78d',5,'Update subscription description','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4, "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 5, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "__old_subscriptions__": {"d83f39b7-0823-4159-b025-7ce083fbcf9c": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}}, "node_name": "ams-rt1", "system_service_id": "90536e3d-2b17-5cd6-84cf-c5c02a40e0bf"}','legacy','2026-11-30 17:46:39.259085','2026-11-30 17:46:39.271102','unknown');
INSERT INTO process_steps VALUES(16,'548bd23d9d724d86abe1d2cd5169b78d',6,'Unlock subscription','success','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4, "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned", "status": "provisioning", "insync": true, "start_date": null, "end_date": null, "note": null, "version": 5, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "__old_subscriptions__": {"d83f39b7-0823-4159-b025-7ce083fbcf9c": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}}, "node_name": "ams-rt1", "system_service_id": "90536e3d-2b17-5cd6-84cf-c5c02a40e0bf"}','legacy','2026-11-30 17:46:39.287136','2026-11-30 17:46:39.323512','unknown');
INSERT INTO process_steps VALUES(17,'548bd23d9d724d86abe1d2cd5169b78d',7,'Done','complete','{"process_id": "548bd23d-9d72-4d86-abe1-d2cd5169b78d", "reporter": "legacy", "workflow_name": "provision_node_enrollment", "workflow_target": "MODIFY", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "customer_id": "legacy-customer", "version": 4, "subscription": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned", "status": "provisioning", "insync": true, "start_date": null, "end_date": null, "note": null, "version": 5, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}, "__old_subscriptions__": {"d83f39b7-0823-4159-b025-7ce083fbcf9c": {"product": {"product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "name": "Node Enrollment", "description": "Node Enrollment", "product_type": "NodeEnrollment", "tag": "NodeEnrollment", "status": "active", "created_at": "2026-11-30T17:46:15.021415Z", "end_date": null}, "customer_id": "legacy-customer", "subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "description": "Node ams-rt1 Provisioned (without system service)", "status": "provisioning", "insync": false, "start_date": null, "end_date": null, "note": null, "version": 4, "ne": {"subscription_instance_id": "25e3f23f-be85-4afc-9a3a-f74f7d7382d4", "owner_subscription_id": "d83f39b7-0823-4159-b025-7ce083fbcf9c", "label": null, "esdb_node_id": 101, "node_name": "ams-rt1", "url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "nso_service_id": "758465af-74b0-4d63-a8fa-f22b251695c3", "routing_domain": "esnet-293", "role": "core", "site_id": "ams", "name": "Node Enrollment"}}}, "node_name": "ams-rt1", "system_service_id": "90536e3d-2b17-5cd6-84cf-c5c02a40e0bf"}','legacy','2026-11-30 17:46:39.351809','2026-11-30 17:46:39.360585','unknown');
CREATE TABLE product_blocks (
	product_block_id CHAR(32) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	description TEXT NOT NULL, 
	tag VARCHAR(50), 
	status VARCHAR(32), 
	created_at DATETIME NOT NULL, 
	end_date DATETIME, 
	CONSTRAINT pk_product_blocks PRIMARY KEY (product_block_id), 
	CONSTRAINT uq_product_blocks_name UNIQUE (name)
);
INSERT INTO product_blocks VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','Node Enrollment','A node enrolled in ESDB and NSO','NE','active','2026-11-30 17:46:15.004042',NULL);
CREATE TABLE products (
	product_id CHAR(32) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	description TEXT NOT NULL, 
	product_type VARCHAR(255) NOT NULL, 
	tag VARCHAR(50) NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	created_at DATETIME NOT NULL, 
	end_date DATETIME, 
	CONSTRAINT pk_products PRIMARY KEY (product_id), 
	CONSTRAINT uq_products_name UNIQUE (name)
);
INSERT INTO products VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','Node Enrollment','Node Enrollment','NodeEnrollment','NodeEnrollment','active','2026-11-30 17:46:15.021415',NULL);
CREATE TABLE resource_types (
	resource_type_id CHAR(32) NOT NULL, 
	resource_type VARCHAR(510) NOT NULL, 
	description TEXT, 
	CONSTRAINT pk_resource_types PRIMARY KEY (resource_type_id), 
	CONSTRAINT uq_resource_types_resource_type UNIQUE (resource_type)
);
INSERT INTO resource_types VALUES('723cbcbd4f2845aa95b3dd3171ff92c7','esdb_node_id','Node id in ESDB');
INSERT INTO resource_types VALUES('9b5ab079b05543e2b3753542e1620cce','node_name','Name of the node');
INSERT INTO resource_types VALUES('855775cc42b44061b1cf25766782a54a','url','Management URL of the node');
INSERT INTO resource_types VALUES('75971e037b1b4330a61a767e09ba8100','uuid','UUID of the node');
INSERT INTO resource_types VALUES('55e59b3947c041cfb2e1fe873ac0c412','nso_service_id','Service id in NSO');
INSERT INTO resource_types VALUES('a2dcb30eda604768b65777644a5f8c12','routing_domain','Routing domain of the node');
INSERT INTO resource_types VALUES('ed469a8f4617414e87ddda8d7cf8d26a','role','Role of the node in the network');
INSERT INTO resource_types VALUES('d348ba41fc8d432daae066f4c475c200','site_id','Short name of the node''s location');
CREATE TABLE fixed_inputs (
	fixed_input_id CHAR(32) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	value TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	product_id CHAR(32) NOT NULL, 
	CONSTRAINT pk_fixed_inputs PRIMARY KEY (fixed_input_id), 
	CONSTRAINT fk_fixed_inputs_product_id_products FOREIGN KEY(product_id) REFERENCES products (product_id) ON DELETE CASCADE, 
	CONSTRAINT uq_fixed_inputs_product_id_name UNIQUE (product_id, name)
);
CREATE TABLE product_block_relations (
	in_use_by_id CHAR(32) NOT NULL, 
	depends_on_id CHAR(32) NOT NULL, 
	min INTEGER, 
	max INTEGER, 
	CONSTRAINT pk_product_block_relations PRIMARY KEY (in_use_by_id, depends_on_id), 
	CONSTRAINT fk_product_block_relations_depends_on_id_product_blocks FOREIGN KEY(depends_on_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_block_relations_in_use_by_id_product_blocks FOREIGN KEY(in_use_by_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE
);
CREATE TABLE product_block_resource_types (
	product_block_id CHAR(32) NOT NULL, 
	resource_type_id CHAR(32) NOT NULL, 
	CONSTRAINT pk_product_block_resource_types PRIMARY KEY (product_block_id, resource_type_id), 
	CONSTRAINT fk_product_block_resource_types_product_block_id_product_blocks FOREIGN KEY(product_block_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_block_resource_types_resource_type_id_resource_types FOREIGN KEY(resource_type_id) REFERENCES resource_types (resource_type_id) ON DELETE CASCADE
);
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','723cbcbd4f2845aa95b3dd3171ff92c7');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','9b5ab079b05543e2b3753542e1620cce');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','855775cc42b44061b1cf25766782a54a');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','75971e037b1b4330a61a767e09ba8100');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','55e59b3947c041cfb2e1fe873ac0c412');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','a2dcb30eda604768b65777644a5f8c12');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','ed469a8f4617414e87ddda8d7cf8d26a');
INSERT INTO product_block_resource_types VALUES('7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d','d348ba41fc8d432daae066f4c475c200');
CREATE TABLE product_product_blocks (
	product_id CHAR(32) NOT NULL, 
	product_block_id CHAR(32) NOT NULL, 
	CONSTRAINT pk_product_product_blocks PRIMARY KEY (product_id, product_block_id), 
	CONSTRAINT fk_product_product_blocks_product_block_id_product_blocks FOREIGN KEY(product_block_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_product_blocks_product_id_products FOREIGN KEY(product_id) REFERENCES products (product_id) ON DELETE CASCADE
);
INSERT INTO product_product_blocks VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d');
CREATE TABLE products_workflows (
	product_id CHAR(32) NOT NULL, 
	workflow_id CHAR(32) NOT NULL, 
	CONSTRAINT pk_products_workflows PRIMARY KEY (product_id, workflow_id), 
	CONSTRAINT fk_products_workflows_product_id_products FOREIGN KEY(product_id) REFERENCES products (product_id) ON DELETE CASCADE, 
	CONSTRAINT fk_products_workflows_workflow_id_workflows FOREIGN KEY(workflow_id) REFERENCES workflows (workflow_id) ON DELETE CASCADE
);
INSERT INTO products_workflows VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','02bb6b295b5144e289c7df1c11f3a2ea');
INSERT INTO products_workflows VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','f1cf528fc8804dd5bcdf4b12bd79c08d');
INSERT INTO products_workflows VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','4393eb5e69a147f0a2a48389e771c636');
INSERT INTO products_workflows VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','1439dcfb93504ed885b69bfdb7d5c450');
INSERT INTO products_workflows VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','bfeed10115e249a3ac15c598e3e38ee0');
INSERT INTO products_workflows VALUES('5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','f60540e7d02f4105a185ddbc70496ece');
CREATE TABLE subscriptions (
	subscription_id CHAR(32) NOT NULL, 
	description TEXT NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	product_id CHAR(32) NOT NULL, 
	customer_id VARCHAR(255) NOT NULL, 
	insync BOOLEAN NOT NULL, 
	start_date DATETIME, 
	end_date DATETIME, 
	note TEXT, 
	version INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_subscriptions PRIMARY KEY (subscription_id), 
	CONSTRAINT fk_subscriptions_product_id_products FOREIGN KEY(product_id) REFERENCES products (product_id)
);
INSERT INTO subscriptions VALUES('d83f39b708234159b0257ce083fbcf9c','Node ams-rt1 Provisioned','provisioning','5b3b6e5e8f3c4c5e9d0a2f6c1b7d9e01','legacy-customer',1,NULL,NULL,NULL,5);
CREATE TABLE processes_subscriptions (
	id CHAR(32) NOT NULL, 
	process_id CHAR(32) NOT NULL, 
	subscription_id CHAR(32) NOT NULL, 
	workflow_target VARCHAR(32), 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_processes_subscriptions PRIMARY KEY (id), 
	CONSTRAINT fk_processes_subscriptions_process_id_processes FOREIGN KEY(process_id) REFERENCES processes (process_id) ON DELETE CASCADE, 
	CONSTRAINT fk_processes_subscriptions_subscription_id_subscriptions FOREIGN KEY(subscription_id) REFERENCES subscriptions (subscription_id) ON DELETE CASCADE
);
INSERT INTO processes_subscriptions VALUES('58d84d13f9414da9966f917107375a34','0a22721cfead49ceaed8cb1567b78184','d83f39b708234159b0257ce083fbcf9c','CREATE','2026-11-30 17:46:37.971870');
INSERT INTO processes_subscriptions VALUES('bad0f61360eb46e99fb9f33b0cea0473','548bd23d9d724d86abe1d2cd5169b78d','d83f39b708234159b0257ce083fbcf9c','MODIFY','2026-11-30 17:46:38.749476');
CREATE TABLE subscription_instances (
	subscription_instance_id CHAR(32) NOT NULL, 
	subscription_id CHAR(32) NOT NULL, 
	product_block_id CHAR(32) NOT NULL, 
	label VARCHAR(255), 
	CONSTRAINT pk_subscription_instances PRIMARY KEY (subscription_instance_id), 
	CONSTRAINT fk_subscription_instances_product_block_id_product_blocks FOREIGN KEY(product_block_id) REFERENCES product_blocks (product_block_id), 
	CONSTRAINT fk_subscription_instances_subscription_id_subscriptions FOREIGN KEY(subscription_id) REFERENCES subscriptions (subscription_id) ON DELETE CASCADE
);
INSERT INTO subscription_instances VALUES('25e3f23fbe854afc9a3af74f7d7382d4','d83f39b708234159b0257ce083fbcf9c','7a1d2c3e4b5f4a6b8c7d9e0f1a2b3c4d',NULL);
CREATE TABLE subscription_instance_relations (
	in_use_by_id CHAR(32) NOT NULL, 
	depends_on_id CHAR(32) NOT NULL, 
	order_id INTEGER NOT NULL, 
	domain_model_attr VARCHAR(255), 
	CONSTRAINT pk_subscription_instance_relations PRIMARY KEY (in_use_by_id, depends_on_id, order_id), 
	CONSTRAINT fk_subscription_instance_relations_depends_on_id_subscription_instances FOREIGN KEY(depends_on_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE, 
	CONSTRAINT fk_subscription_instance_relations_in_use_by_id_subscription_instances FOREIGN KEY(in_use_by_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE
);
CREATE TABLE subscription_instance_values (
	subscription_instance_value_id CHAR(32) NOT NULL, 
	subscription_instance_id CHAR(32) NOT NULL, 
	resource_type_id CHAR(32) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_subscription_instance_values PRIMARY KEY (subscription_instance_value_id), 
	CONSTRAINT fk_subscription_instance_values_resource_type_id_resource_types FOREIGN KEY(resource_type_id) REFERENCES resource_types (resource_type_id), 
	CONSTRAINT fk_subscription_instance_values_subscription_instance_id_subscription_instances FOREIGN KEY(subscription_instance_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE
);
INSERT INTO subscription_instance_values VALUES('f0708aff497844578b133c613e80e706','25e3f23fbe854afc9a3af74f7d7382d4','723cbcbd4f2845aa95b3dd3171ff92c7','101');
INSERT INTO subscription_instance_values VALUES('ec63b969c32647d485af27288eddcfbb','25e3f23fbe854afc9a3af74f7d7382d4','75971e037b1b4330a61a767e09ba8100','40b08d91-dbbf-58c7-b986-4540c5229ae5');
INSERT INTO subscription_instance_values VALUES('676977659eb04b6bb3ed53577e36121e','25e3f23fbe854afc9a3af74f7d7382d4','55e59b3947c041cfb2e1fe873ac0c412','758465af-74b0-4d63-a8fa-f22b251695c3');
INSERT INTO subscription_instance_values VALUES('f8044191ed974cdbaef25ec11b9af6b7','25e3f23fbe854afc9a3af74f7d7382d4','a2dcb30eda604768b65777644a5f8c12','esnet-293');
INSERT INTO subscription_instance_values VALUES('9ed963e644354cbcbd9efa05c7911e16','25e3f23fbe854afc9a3af74f7d7382d4','9b5ab079b05543e2b3753542e1620cce','ams-rt1');
INSERT INTO subscription_instance_values VALUES('cc9099648d524b10ab385d748b441ad5','25e3f23fbe854afc9a3af74f7d7382d4','855775cc42b44061b1cf25766782a54a','https://ams-rt1.mgmt.example.net/');
INSERT INTO subscription_instance_values VALUES('7eeb91bdc35a4022bf479850173cea2a','25e3f23fbe854afc9a3af74f7d7382d4','ed469a8f4617414e87ddda8d7cf8d26a','core');
INSERT INTO subscription_instance_values VALUES('957b522daf50450aadbbb9646d5cbc20','25e3f23fbe854afc9a3af74f7d7382d4','d348ba41fc8d432daae066f4c475c200','ams');
CREATE INDEX ix_processes_flow_run_id ON processes (flow_run_id);
CREATE INDEX ix_processes_status_started ON processes (last_status, started_at);
CREATE INDEX ix_processes_workflow_id ON processes (workflow_id);
CREATE INDEX ix_input_states_process_id ON input_states (process_id);
CREATE INDEX ix_process_steps_process_id_step_id ON process_steps (process_id, step_id);
CREATE INDEX ix_products_tag ON products (tag);
CREATE INDEX ix_product_block_relations_depends_on_id ON product_block_relations (depends_on_id);
CREATE INDEX ix_products_workflows_workflow_id ON products_workflows (workflow_id);
CREATE INDEX ix_subscriptions_customer_id_status ON subscriptions (customer_id, status);
CREATE INDEX ix_subscriptions_product_id_status ON subscriptions (product_id, status);
CREATE INDEX ix_subscriptions_status ON subscriptions (status);
CREATE INDEX ix_processes_subscriptions_process_id_subscription_id ON processes_subscriptions (process_id, subscription_id);
CREATE INDEX ix_processes_subscriptions_subscription_id ON processes_subscriptions (subscription_id);
CREATE INDEX ix_subscription_instances_product_block_id ON subscription_instances (product_block_id);
CREATE INDEX ix_subscription_instances_subscription_id ON subscription_instances (subscription_id);
CREATE INDEX ix_subscription_instance_relations_depends_on_id ON subscription_instance_relations (depends_on_id);
CREATE INDEX ix_subscription_instance_values_resource_type_id ON subscription_instance_values (resource_type_id);
CREATE INDEX ix_subscription_instance_values_subscription_instance_id ON subscription_instance_values (subscription_instance_id);
CREATE INDEX ix_subscriptions_start_date_id ON subscriptions (start_date, subscription_id);
CREATE INDEX ix_subscriptions_description_id ON subscriptions (description, subscription_id);
COMMIT;
