-- A database made before the core schema and the demo's registrations were split: commit 8019a06
-- (revision 0009 of the one linear chain), then create_node_enrollment and provision_node_enrollment
-- run once by that code. tests/migrations/test_pre_split_upgrade.py upgrades it to the new layout.
--
-- PostgreSQL database dump
--

\restrict 7E2aZdMcnlouGfUmmhaNQ0diLj588Gy64IaYjTQAHvN50Uq8WzEfk27ZdljjzXH

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: subscription_search_vector(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.subscription_search_vector(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $_$
        SELECT coalesce(string_agg(quote_literal(word) || ':' || position, ' ')::tsvector, ''::tsvector)
        FROM unnest(regexp_split_to_array(lower($1), '[^[:alnum:]]+')) WITH ORDINALITY AS words(word, position)
        WHERE word <> ''
    $_$;


--
-- Name: subscription_search_words_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.subscription_search_words_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
        BEGIN 
    INSERT INTO subscription_search_words (word)
    SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(new_rows.search_tsv)) AS w 
    ORDER BY w
    ON CONFLICT DO NOTHING
; RETURN NULL; END $$;


--
-- Name: subscription_search_words_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.subscription_search_words_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
        BEGIN 
    INSERT INTO subscription_search_words (word)
    SELECT DISTINCT w FROM new_rows JOIN old_rows USING (subscription_id), unnest(tsvector_to_array(new_rows.search_tsv)) AS w WHERE new_rows.search_tsv IS DISTINCT FROM old_rows.search_tsv
    ORDER BY w
    ON CONFLICT DO NOTHING
; RETURN NULL; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: fixed_inputs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.fixed_inputs (
    fixed_input_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    value text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    product_id uuid NOT NULL
);


--
-- Name: input_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.input_states (
    input_state_id uuid NOT NULL,
    process_id uuid NOT NULL,
    input_state jsonb NOT NULL,
    input_time timestamp with time zone NOT NULL,
    input_type character varying(32) NOT NULL
);


--
-- Name: process_steps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.process_steps (
    step_id bigint NOT NULL,
    process_id uuid NOT NULL,
    step_index integer NOT NULL,
    name character varying(255) NOT NULL,
    status character varying(50) NOT NULL,
    state jsonb NOT NULL,
    created_by character varying(255),
    started_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone NOT NULL,
    commit_hash character varying(64)
);


--
-- Name: process_steps_step_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.process_steps_step_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: process_steps_step_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.process_steps_step_id_seq OWNED BY public.process_steps.step_id;


--
-- Name: processes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.processes (
    process_id uuid NOT NULL,
    workflow_id uuid NOT NULL,
    assignee character varying(50) NOT NULL,
    last_status character varying(50) NOT NULL,
    last_step character varying(255),
    started_at timestamp with time zone NOT NULL,
    last_modified_at timestamp with time zone NOT NULL,
    failed_reason text,
    traceback text,
    created_by character varying(255),
    is_task boolean NOT NULL,
    flow_run_id uuid,
    executor_id character varying(255),
    lease_expires_at timestamp with time zone
);


--
-- Name: processes_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.processes_subscriptions (
    id uuid NOT NULL,
    process_id uuid NOT NULL,
    subscription_id uuid NOT NULL,
    workflow_target character varying(32),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: product_block_relations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_block_relations (
    in_use_by_id uuid NOT NULL,
    depends_on_id uuid NOT NULL,
    min integer,
    max integer
);


--
-- Name: product_block_resource_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_block_resource_types (
    product_block_id uuid NOT NULL,
    resource_type_id uuid NOT NULL
);


--
-- Name: product_blocks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_blocks (
    product_block_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    description text NOT NULL,
    tag character varying(50),
    status character varying(32),
    created_at timestamp with time zone NOT NULL,
    end_date timestamp with time zone
);


--
-- Name: product_product_blocks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_product_blocks (
    product_id uuid NOT NULL,
    product_block_id uuid NOT NULL
);


--
-- Name: products; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.products (
    product_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    description text NOT NULL,
    product_type character varying(255) NOT NULL,
    tag character varying(50) NOT NULL,
    status character varying(32) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    end_date timestamp with time zone
);


--
-- Name: products_workflows; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.products_workflows (
    product_id uuid NOT NULL,
    workflow_id uuid NOT NULL
);


--
-- Name: resource_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_types (
    resource_type_id uuid NOT NULL,
    resource_type character varying(510) NOT NULL,
    description text
);


--
-- Name: subscription_instance_relations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscription_instance_relations (
    in_use_by_id uuid NOT NULL,
    depends_on_id uuid NOT NULL,
    order_id integer NOT NULL,
    domain_model_attr character varying(255)
);


--
-- Name: subscription_instance_values; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscription_instance_values (
    subscription_instance_value_id uuid NOT NULL,
    subscription_instance_id uuid NOT NULL,
    resource_type_id uuid NOT NULL,
    value text NOT NULL
);


--
-- Name: subscription_instances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscription_instances (
    subscription_instance_id uuid NOT NULL,
    subscription_id uuid NOT NULL,
    product_block_id uuid NOT NULL,
    label character varying(255)
);


--
-- Name: subscription_search_words; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscription_search_words (
    word text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscriptions (
    subscription_id uuid NOT NULL,
    description text NOT NULL,
    status character varying(32) NOT NULL,
    product_id uuid NOT NULL,
    customer_id character varying(255) NOT NULL,
    insync boolean NOT NULL,
    start_date timestamp with time zone,
    end_date timestamp with time zone,
    note text,
    version integer DEFAULT 1 NOT NULL,
    search_tsv tsvector GENERATED ALWAYS AS (public.subscription_search_vector(((((description || ' '::text) || (customer_id)::text) || ' '::text) || COALESCE(note, ''::text)))) STORED
);


--
-- Name: workflows; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflows (
    workflow_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    target character varying(32) NOT NULL,
    description text NOT NULL,
    is_task boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    deleted_at timestamp with time zone
);


--
-- Name: process_steps step_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.process_steps ALTER COLUMN step_id SET DEFAULT nextval('public.process_steps_step_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alembic_version (version_num) FROM stdin;
0009
\.


--
-- Data for Name: fixed_inputs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.fixed_inputs (fixed_input_id, name, value, created_at, product_id) FROM stdin;
\.


--
-- Data for Name: input_states; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.input_states (input_state_id, process_id, input_state, input_time, input_type) FROM stdin;
d4a9b980-62d1-421a-933d-e9b8d5a5f1bd	65f39819-cd25-4482-807f-003c7e63bd1c	{"url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE"}	2026-11-30 17:45:36.739629+00	initial_state
79b02b40-2a31-405d-a098-e2e98a61a083	65f39819-cd25-4482-807f-003c7e63bd1c	{"user_inputs": [{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01"}, {"url": "https://ams-rt1.mgmt.example.net", "role_id": "core", "customer_id": "legacy-customer", "select_node": "ams-rt1"}]}	2026-11-30 17:45:36.739642+00	user_input
759eac44-9b95-4c93-9723-bff0208e272c	6347227a-9c42-4d36-9f2a-8e72d44e6743	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY"}	2026-11-30 17:46:06.07105+00	initial_state
bc0c92f1-a42f-4aea-89a3-6421a2d9aec1	6347227a-9c42-4d36-9f2a-8e72d44e6743	{"user_inputs": [{"subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}]}	2026-11-30 17:46:06.071058+00	user_input
\.


--
-- Data for Name: process_steps; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.process_steps (step_id, process_id, step_index, name, status, state, created_by, started_at, completed_at, commit_hash) FROM stdin;
1	65f39819-cd25-4482-807f-003c7e63bd1c	0	Start	success	{"url": "https://ams-rt1.mgmt.example.net/", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "workflow_name": "create_node_enrollment", "workflow_target": "CREATE"}	legacy	2026-11-30 17:46:04.878935+00	2026-11-30 17:46:04.893843+00	unknown
2	65f39819-cd25-4482-807f-003c7e63bd1c	1	Construct Node Enrollment model	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": null, "name": "Node Enrollment", "role": null, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": null, "node_name": null, "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "initial", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 1, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Initial Subscription", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:04.941742+00	2026-11-30 17:46:05.017185+00	unknown
3	65f39819-cd25-4482-807f-003c7e63bd1c	2	Create Process Subscription relation	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": null, "name": "Node Enrollment", "role": null, "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": null, "node_name": null, "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "initial", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 1, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Initial Subscription", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.045322+00	2026-11-30 17:46:05.051439+00	unknown
4	65f39819-cd25-4482-807f-003c7e63bd1c	3	Store node details	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "initial", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 2, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Initial Subscription", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.084054+00	2026-11-30 17:46:05.487351+00	unknown
5	65f39819-cd25-4482-807f-003c7e63bd1c	4	Create node enrollment service in NSO	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "initial", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 2, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Initial Subscription", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.50696+00	2026-11-30 17:46:05.529919+00	unknown
6	65f39819-cd25-4482-807f-003c7e63bd1c	5	Update subscription name with node info	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 3, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.54818+00	2026-11-30 17:46:05.638124+00	unknown
7	65f39819-cd25-4482-807f-003c7e63bd1c	6	Set subscription to 'provisioning'	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.665176+00	2026-11-30 17:46:05.740773+00	unknown
8	65f39819-cd25-4482-807f-003c7e63bd1c	7	Unlock subscription	success	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": true, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.799073+00	2026-11-30 17:46:05.860716+00	unknown
9	65f39819-cd25-4482-807f-003c7e63bd1c	8	Done	complete	{"url": "https://ams-rt1.mgmt.example.net/", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "role_id": "core", "site_id": "ams", "reporter": "legacy", "process_id": "65f39819-cd25-4482-807f-003c7e63bd1c", "customer_id": "legacy-customer", "select_node": "ams-rt1", "esdb_node_id": 101, "product_name": "Node Enrollment", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": true, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "create_node_enrollment", "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "CREATE", "subscription_description": "Node ams-rt1 Initial Subscription"}	legacy	2026-11-30 17:46:05.891012+00	2026-11-30 17:46:05.901556+00	unknown
10	6347227a-9c42-4d36-9f2a-8e72d44e6743	0	Start	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY"}	legacy	2026-11-30 17:46:06.259284+00	2026-11-30 17:46:06.269885+00	unknown
11	6347227a-9c42-4d36-9f2a-8e72d44e6743	1	Create Process Subscription relation	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY"}	legacy	2026-11-30 17:46:06.287973+00	2026-11-30 17:46:06.309265+00	unknown
12	6347227a-9c42-4d36-9f2a-8e72d44e6743	2	Lock subscription	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY", "__old_subscriptions__": {"37f8032c-fa41-4f1b-bbf0-07f31fc4fc86": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}}}	legacy	2026-11-30 17:46:06.337798+00	2026-11-30 17:46:06.41343+00	unknown
13	6347227a-9c42-4d36-9f2a-8e72d44e6743	3	Load initial state	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "node_name": "ams-rt1", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY", "__old_subscriptions__": {"37f8032c-fa41-4f1b-bbf0-07f31fc4fc86": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}}}	legacy	2026-11-30 17:46:06.43542+00	2026-11-30 17:46:06.468941+00	unknown
14	6347227a-9c42-4d36-9f2a-8e72d44e6743	4	Deploy system service in NSO	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "node_name": "ams-rt1", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY", "system_service_id": "d1953059-7cd0-5f40-b6c0-bdc3bae2f0eb", "__old_subscriptions__": {"37f8032c-fa41-4f1b-bbf0-07f31fc4fc86": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}}}	legacy	2026-11-30 17:46:06.489915+00	2026-11-30 17:46:06.506598+00	unknown
15	6347227a-9c42-4d36-9f2a-8e72d44e6743	5	Update subscription description	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "node_name": "ams-rt1", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 5, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY", "system_service_id": "d1953059-7cd0-5f40-b6c0-bdc3bae2f0eb", "__old_subscriptions__": {"37f8032c-fa41-4f1b-bbf0-07f31fc4fc86": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}}}	legacy	2026-11-30 17:46:06.525802+00	2026-11-30 17:46:06.571147+00	unknown
16	6347227a-9c42-4d36-9f2a-8e72d44e6743	6	Unlock subscription	success	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "node_name": "ams-rt1", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": true, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 5, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY", "system_service_id": "d1953059-7cd0-5f40-b6c0-bdc3bae2f0eb", "__old_subscriptions__": {"37f8032c-fa41-4f1b-bbf0-07f31fc4fc86": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}}}	legacy	2026-11-30 17:46:06.593109+00	2026-11-30 17:46:06.628945+00	unknown
17	6347227a-9c42-4d36-9f2a-8e72d44e6743	7	Done	complete	{"product": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "version": 4, "reporter": "legacy", "node_name": "ams-rt1", "process_id": "6347227a-9c42-4d36-9f2a-8e72d44e6743", "customer_id": "legacy-customer", "subscription": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": true, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 5, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}, "workflow_name": "provision_node_enrollment", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "workflow_target": "MODIFY", "system_service_id": "d1953059-7cd0-5f40-b6c0-bdc3bae2f0eb", "__old_subscriptions__": {"37f8032c-fa41-4f1b-bbf0-07f31fc4fc86": {"ne": {"url": "https://ams-rt1.mgmt.example.net/", "name": "Node Enrollment", "role": "core", "uuid": "40b08d91-dbbf-58c7-b986-4540c5229ae5", "label": null, "site_id": "ams", "node_name": "ams-rt1", "esdb_node_id": 101, "nso_service_id": "14b198ec-4c08-487c-ab43-f1dee26bcbf8", "routing_domain": "esnet-293", "owner_subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86", "subscription_instance_id": "2be0ab16-a494-4ed6-841d-6e4e5f032bf4"}, "note": null, "insync": false, "status": "provisioning", "product": {"tag": "NodeEnrollment", "name": "Node Enrollment", "status": "active", "end_date": null, "created_at": "2026-11-30T17:45:36.586068Z", "product_id": "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01", "description": "Node Enrollment", "product_type": "NodeEnrollment"}, "version": 4, "end_date": null, "start_date": null, "customer_id": "legacy-customer", "description": "Node ams-rt1 Provisioned (without system service)", "subscription_id": "37f8032c-fa41-4f1b-bbf0-07f31fc4fc86"}}}	legacy	2026-11-30 17:46:06.656533+00	2026-11-30 17:46:06.669948+00	unknown
\.


--
-- Data for Name: processes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.processes (process_id, workflow_id, assignee, last_status, last_step, started_at, last_modified_at, failed_reason, traceback, created_by, is_task, flow_run_id, executor_id, lease_expires_at) FROM stdin;
65f39819-cd25-4482-807f-003c7e63bd1c	e4f22f1c-000e-4dbe-8514-2cca7f99b546	SYSTEM	completed	Done	2026-11-30 17:45:36.736087+00	2026-11-30 17:46:05.919211+00	\N	\N	legacy	f	08e83916-76ad-4f70-a2f8-6ffed9ffddb6	vm:12776:5bdb6610	\N
6347227a-9c42-4d36-9f2a-8e72d44e6743	61e8e005-6827-4750-8de7-31fd6f33dd3a	SYSTEM	completed	Done	2026-11-30 17:46:06.069194+00	2026-11-30 17:46:06.697603+00	\N	\N	legacy	f	cb7d0276-f451-45a9-8b04-304de9e493ef	vm:12776:5bdb6610	\N
\.


--
-- Data for Name: processes_subscriptions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.processes_subscriptions (id, process_id, subscription_id, workflow_target, created_at) FROM stdin;
1e07139e-cd6f-4178-889e-557c6eccb489	65f39819-cd25-4482-807f-003c7e63bd1c	37f8032c-fa41-4f1b-bbf0-07f31fc4fc86	CREATE	2026-11-30 17:46:05.052768+00
72bc20a9-b326-4825-9862-16ebcc1cd661	6347227a-9c42-4d36-9f2a-8e72d44e6743	37f8032c-fa41-4f1b-bbf0-07f31fc4fc86	MODIFY	2026-11-30 17:46:06.069932+00
\.


--
-- Data for Name: product_block_relations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_block_relations (in_use_by_id, depends_on_id, min, max) FROM stdin;
\.


--
-- Data for Name: product_block_resource_types; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_block_resource_types (product_block_id, resource_type_id) FROM stdin;
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	ac925000-1da1-4f94-a923-f51127c50fb0
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	396ccf67-fc6a-4231-a639-d3e5746deda7
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	f160b8ba-0940-48c7-bb54-c70c5760af36
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	030d9e73-63f0-4875-8348-67ace57447f7
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	0c213052-1856-448e-875b-aa07ca846b87
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	b27b2bd7-9c9e-45c3-8937-95ecbd1403cd
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	0b45dc59-2272-44d2-84c2-1fade65316c3
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	10234ad3-c5ce-4bff-8d9b-a6e2606c218c
\.


--
-- Data for Name: product_blocks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_blocks (product_block_id, name, description, tag, status, created_at, end_date) FROM stdin;
7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	Node Enrollment	A node enrolled in ESDB and NSO	NE	active	2026-11-30 17:45:36.553827+00	\N
\.


--
-- Data for Name: product_product_blocks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_product_blocks (product_id, product_block_id) FROM stdin;
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d
\.


--
-- Data for Name: products; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.products (product_id, name, description, product_type, tag, status, created_at, end_date) FROM stdin;
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	Node Enrollment	Node Enrollment	NodeEnrollment	NodeEnrollment	active	2026-11-30 17:45:36.586068+00	\N
\.


--
-- Data for Name: products_workflows; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.products_workflows (product_id, workflow_id) FROM stdin;
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	8307caa0-d728-4525-bfd6-47c8a29a8d52
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	e4f22f1c-000e-4dbe-8514-2cca7f99b546
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	61e8e005-6827-4750-8de7-31fd6f33dd3a
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	b5e80d8d-8140-4d95-afe7-125d40174d45
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	ae7d0273-6101-4c54-bf77-50fb45ad5ece
5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	12f686bd-fa1c-42c3-b3cd-14fa503c4537
\.


--
-- Data for Name: resource_types; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_types (resource_type_id, resource_type, description) FROM stdin;
ac925000-1da1-4f94-a923-f51127c50fb0	esdb_node_id	Node id in ESDB
396ccf67-fc6a-4231-a639-d3e5746deda7	node_name	Name of the node
f160b8ba-0940-48c7-bb54-c70c5760af36	url	Management URL of the node
030d9e73-63f0-4875-8348-67ace57447f7	uuid	UUID of the node
0c213052-1856-448e-875b-aa07ca846b87	nso_service_id	Service id in NSO
b27b2bd7-9c9e-45c3-8937-95ecbd1403cd	routing_domain	Routing domain of the node
0b45dc59-2272-44d2-84c2-1fade65316c3	role	Role of the node in the network
10234ad3-c5ce-4bff-8d9b-a6e2606c218c	site_id	Short name of the node's location
\.


--
-- Data for Name: subscription_instance_relations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.subscription_instance_relations (in_use_by_id, depends_on_id, order_id, domain_model_attr) FROM stdin;
\.


--
-- Data for Name: subscription_instance_values; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.subscription_instance_values (subscription_instance_value_id, subscription_instance_id, resource_type_id, value) FROM stdin;
8c1cbe2e-4291-41dc-b294-937fc3eebc02	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	ac925000-1da1-4f94-a923-f51127c50fb0	101
854b661a-bac4-42dd-9750-a48b7f5ac710	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	030d9e73-63f0-4875-8348-67ace57447f7	40b08d91-dbbf-58c7-b986-4540c5229ae5
a890c771-69bb-417d-a938-c28abdb13db8	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	0c213052-1856-448e-875b-aa07ca846b87	14b198ec-4c08-487c-ab43-f1dee26bcbf8
2afcd9e9-f080-42cb-a17f-1d01b172d761	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	b27b2bd7-9c9e-45c3-8937-95ecbd1403cd	esnet-293
6d9cc9ab-b3bd-4a2f-9588-bc7af6b32589	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	396ccf67-fc6a-4231-a639-d3e5746deda7	ams-rt1
7ba20994-fa02-4e02-89b8-56480f5ef907	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	f160b8ba-0940-48c7-bb54-c70c5760af36	https://ams-rt1.mgmt.example.net/
136f979e-7c4d-49c1-bf23-7e6ea24a7fe9	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	0b45dc59-2272-44d2-84c2-1fade65316c3	core
7b479d8c-90b8-4790-8a12-11ffac0f8593	2be0ab16-a494-4ed6-841d-6e4e5f032bf4	10234ad3-c5ce-4bff-8d9b-a6e2606c218c	ams
\.


--
-- Data for Name: subscription_instances; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.subscription_instances (subscription_instance_id, subscription_id, product_block_id, label) FROM stdin;
2be0ab16-a494-4ed6-841d-6e4e5f032bf4	37f8032c-fa41-4f1b-bbf0-07f31fc4fc86	7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d	\N
\.


--
-- Data for Name: subscription_search_words; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.subscription_search_words (word) FROM stdin;
ams
customer
initial
legacy
node
rt1
subscription
provisioned
service
system
without
\.


--
-- Data for Name: subscriptions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.subscriptions (subscription_id, description, status, product_id, customer_id, insync, start_date, end_date, note, version) FROM stdin;
37f8032c-fa41-4f1b-bbf0-07f31fc4fc86	Node ams-rt1 Provisioned	provisioning	5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01	legacy-customer	t	\N	\N	\N	5
\.


--
-- Data for Name: workflows; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.workflows (workflow_id, name, target, description, is_task, created_at, deleted_at) FROM stdin;
8307caa0-d728-4525-bfd6-47c8a29a8d52	modify_note	MODIFY	Modify Note	f	2026-11-30 17:45:36.597146+00	\N
e4f22f1c-000e-4dbe-8514-2cca7f99b546	create_node_enrollment	CREATE	Create Node Enrollment Service	f	2026-11-30 17:45:36.618273+00	\N
61e8e005-6827-4750-8de7-31fd6f33dd3a	provision_node_enrollment	MODIFY	Provision Node Enrollment	f	2026-11-30 17:45:36.622147+00	\N
b5e80d8d-8140-4d95-afe7-125d40174d45	modify_node_enrollment	MODIFY	Modify Node Enrollment	f	2026-11-30 17:45:36.625023+00	\N
ae7d0273-6101-4c54-bf77-50fb45ad5ece	validate_node_enrollment	SYSTEM	Validate Node Enrollment before production	f	2026-11-30 17:45:36.627713+00	\N
12f686bd-fa1c-42c3-b3cd-14fa503c4537	terminate_node_enrollment	TERMINATE	Terminate Node Enrollment subscription	f	2026-11-30 17:45:36.630489+00	\N
4225d62b-aa1b-4543-9f89-b248b0fe4772	task_validate_subscriptions	SYSTEM	Validate subscriptions	t	2026-11-30 17:45:36.633542+00	\N
\.


--
-- Name: process_steps_step_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.process_steps_step_id_seq', 17, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: fixed_inputs pk_fixed_inputs; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fixed_inputs
    ADD CONSTRAINT pk_fixed_inputs PRIMARY KEY (fixed_input_id);


--
-- Name: input_states pk_input_states; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.input_states
    ADD CONSTRAINT pk_input_states PRIMARY KEY (input_state_id);


--
-- Name: process_steps pk_process_steps; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT pk_process_steps PRIMARY KEY (step_id);


--
-- Name: processes pk_processes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.processes
    ADD CONSTRAINT pk_processes PRIMARY KEY (process_id);


--
-- Name: processes_subscriptions pk_processes_subscriptions; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.processes_subscriptions
    ADD CONSTRAINT pk_processes_subscriptions PRIMARY KEY (id);


--
-- Name: product_block_relations pk_product_block_relations; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_block_relations
    ADD CONSTRAINT pk_product_block_relations PRIMARY KEY (in_use_by_id, depends_on_id);


--
-- Name: product_block_resource_types pk_product_block_resource_types; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_block_resource_types
    ADD CONSTRAINT pk_product_block_resource_types PRIMARY KEY (product_block_id, resource_type_id);


--
-- Name: product_blocks pk_product_blocks; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_blocks
    ADD CONSTRAINT pk_product_blocks PRIMARY KEY (product_block_id);


--
-- Name: product_product_blocks pk_product_product_blocks; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_product_blocks
    ADD CONSTRAINT pk_product_product_blocks PRIMARY KEY (product_id, product_block_id);


--
-- Name: products pk_products; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT pk_products PRIMARY KEY (product_id);


--
-- Name: products_workflows pk_products_workflows; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products_workflows
    ADD CONSTRAINT pk_products_workflows PRIMARY KEY (product_id, workflow_id);


--
-- Name: resource_types pk_resource_types; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_types
    ADD CONSTRAINT pk_resource_types PRIMARY KEY (resource_type_id);


--
-- Name: subscription_instance_relations pk_subscription_instance_relations; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instance_relations
    ADD CONSTRAINT pk_subscription_instance_relations PRIMARY KEY (in_use_by_id, depends_on_id, order_id);


--
-- Name: subscription_instance_values pk_subscription_instance_values; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instance_values
    ADD CONSTRAINT pk_subscription_instance_values PRIMARY KEY (subscription_instance_value_id);


--
-- Name: subscription_instances pk_subscription_instances; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instances
    ADD CONSTRAINT pk_subscription_instances PRIMARY KEY (subscription_instance_id);


--
-- Name: subscriptions pk_subscriptions; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscriptions
    ADD CONSTRAINT pk_subscriptions PRIMARY KEY (subscription_id);


--
-- Name: workflows pk_workflows; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflows
    ADD CONSTRAINT pk_workflows PRIMARY KEY (workflow_id);


--
-- Name: subscription_search_words subscription_search_words_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_search_words
    ADD CONSTRAINT subscription_search_words_pkey PRIMARY KEY (word);


--
-- Name: fixed_inputs uq_fixed_inputs_product_id_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fixed_inputs
    ADD CONSTRAINT uq_fixed_inputs_product_id_name UNIQUE (product_id, name);


--
-- Name: product_blocks uq_product_blocks_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_blocks
    ADD CONSTRAINT uq_product_blocks_name UNIQUE (name);


--
-- Name: products uq_products_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT uq_products_name UNIQUE (name);


--
-- Name: resource_types uq_resource_types_resource_type; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_types
    ADD CONSTRAINT uq_resource_types_resource_type UNIQUE (resource_type);


--
-- Name: workflows uq_workflows_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflows
    ADD CONSTRAINT uq_workflows_name UNIQUE (name);


--
-- Name: ix_input_states_process_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_input_states_process_id ON public.input_states USING btree (process_id);


--
-- Name: ix_process_steps_process_id_step_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_process_steps_process_id_step_id ON public.process_steps USING btree (process_id, step_id);


--
-- Name: ix_processes_flow_run_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_processes_flow_run_id ON public.processes USING btree (flow_run_id);


--
-- Name: ix_processes_status_started; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_processes_status_started ON public.processes USING btree (last_status, started_at);


--
-- Name: ix_processes_subscriptions_process_id_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_processes_subscriptions_process_id_subscription_id ON public.processes_subscriptions USING btree (process_id, subscription_id);


--
-- Name: ix_processes_subscriptions_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_processes_subscriptions_subscription_id ON public.processes_subscriptions USING btree (subscription_id);


--
-- Name: ix_processes_workflow_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_processes_workflow_id ON public.processes USING btree (workflow_id);


--
-- Name: ix_product_block_relations_depends_on_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_product_block_relations_depends_on_id ON public.product_block_relations USING btree (depends_on_id);


--
-- Name: ix_products_tag; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_products_tag ON public.products USING btree (tag);


--
-- Name: ix_products_workflows_workflow_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_products_workflows_workflow_id ON public.products_workflows USING btree (workflow_id);


--
-- Name: ix_subscription_instance_relations_depends_on_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscription_instance_relations_depends_on_id ON public.subscription_instance_relations USING btree (depends_on_id);


--
-- Name: ix_subscription_instance_values_resource_type_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscription_instance_values_resource_type_id ON public.subscription_instance_values USING btree (resource_type_id);


--
-- Name: ix_subscription_instance_values_subscription_instance_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscription_instance_values_subscription_instance_id ON public.subscription_instance_values USING btree (subscription_instance_id);


--
-- Name: ix_subscription_instances_product_block_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscription_instances_product_block_id ON public.subscription_instances USING btree (product_block_id);


--
-- Name: ix_subscription_instances_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscription_instances_subscription_id ON public.subscription_instances USING btree (subscription_id);


--
-- Name: ix_subscriptions_customer_id_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscriptions_customer_id_status ON public.subscriptions USING btree (customer_id, status);


--
-- Name: ix_subscriptions_description_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscriptions_description_id ON public.subscriptions USING btree (description, subscription_id);


--
-- Name: ix_subscriptions_product_id_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscriptions_product_id_status ON public.subscriptions USING btree (product_id, status);


--
-- Name: ix_subscriptions_search_tsv; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscriptions_search_tsv ON public.subscriptions USING gin (search_tsv);


--
-- Name: ix_subscriptions_start_date_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscriptions_start_date_id ON public.subscriptions USING btree (start_date, subscription_id);


--
-- Name: ix_subscriptions_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subscriptions_status ON public.subscriptions USING btree (status);


--
-- Name: subscriptions subscription_search_words_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER subscription_search_words_inserted AFTER INSERT ON public.subscriptions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.subscription_search_words_inserted();


--
-- Name: subscriptions subscription_search_words_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER subscription_search_words_updated AFTER UPDATE ON public.subscriptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.subscription_search_words_updated();


--
-- Name: fixed_inputs fk_fixed_inputs_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fixed_inputs
    ADD CONSTRAINT fk_fixed_inputs_product_id_products FOREIGN KEY (product_id) REFERENCES public.products(product_id) ON DELETE CASCADE;


--
-- Name: input_states fk_input_states_process_id_processes; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.input_states
    ADD CONSTRAINT fk_input_states_process_id_processes FOREIGN KEY (process_id) REFERENCES public.processes(process_id) ON DELETE CASCADE;


--
-- Name: process_steps fk_process_steps_process_id_processes; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT fk_process_steps_process_id_processes FOREIGN KEY (process_id) REFERENCES public.processes(process_id) ON DELETE CASCADE;


--
-- Name: processes_subscriptions fk_processes_subscriptions_process_id_processes; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.processes_subscriptions
    ADD CONSTRAINT fk_processes_subscriptions_process_id_processes FOREIGN KEY (process_id) REFERENCES public.processes(process_id) ON DELETE CASCADE;


--
-- Name: processes_subscriptions fk_processes_subscriptions_subscription_id_subscriptions; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.processes_subscriptions
    ADD CONSTRAINT fk_processes_subscriptions_subscription_id_subscriptions FOREIGN KEY (subscription_id) REFERENCES public.subscriptions(subscription_id) ON DELETE CASCADE;


--
-- Name: processes fk_processes_workflow_id_workflows; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.processes
    ADD CONSTRAINT fk_processes_workflow_id_workflows FOREIGN KEY (workflow_id) REFERENCES public.workflows(workflow_id);


--
-- Name: product_block_relations fk_product_block_relations_depends_on_id_product_blocks; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_block_relations
    ADD CONSTRAINT fk_product_block_relations_depends_on_id_product_blocks FOREIGN KEY (depends_on_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;


--
-- Name: product_block_relations fk_product_block_relations_in_use_by_id_product_blocks; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_block_relations
    ADD CONSTRAINT fk_product_block_relations_in_use_by_id_product_blocks FOREIGN KEY (in_use_by_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;


--
-- Name: product_block_resource_types fk_product_block_resource_types_product_block_id_product_blocks; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_block_resource_types
    ADD CONSTRAINT fk_product_block_resource_types_product_block_id_product_blocks FOREIGN KEY (product_block_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;


--
-- Name: product_block_resource_types fk_product_block_resource_types_resource_type_id_resource_types; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_block_resource_types
    ADD CONSTRAINT fk_product_block_resource_types_resource_type_id_resource_types FOREIGN KEY (resource_type_id) REFERENCES public.resource_types(resource_type_id) ON DELETE CASCADE;


--
-- Name: product_product_blocks fk_product_product_blocks_product_block_id_product_blocks; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_product_blocks
    ADD CONSTRAINT fk_product_product_blocks_product_block_id_product_blocks FOREIGN KEY (product_block_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;


--
-- Name: product_product_blocks fk_product_product_blocks_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_product_blocks
    ADD CONSTRAINT fk_product_product_blocks_product_id_products FOREIGN KEY (product_id) REFERENCES public.products(product_id) ON DELETE CASCADE;


--
-- Name: products_workflows fk_products_workflows_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products_workflows
    ADD CONSTRAINT fk_products_workflows_product_id_products FOREIGN KEY (product_id) REFERENCES public.products(product_id) ON DELETE CASCADE;


--
-- Name: products_workflows fk_products_workflows_workflow_id_workflows; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products_workflows
    ADD CONSTRAINT fk_products_workflows_workflow_id_workflows FOREIGN KEY (workflow_id) REFERENCES public.workflows(workflow_id) ON DELETE CASCADE;


--
-- Name: subscription_instance_relations fk_subscription_instance_relations_depends_on_id_subscr_2cce; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instance_relations
    ADD CONSTRAINT fk_subscription_instance_relations_depends_on_id_subscr_2cce FOREIGN KEY (depends_on_id) REFERENCES public.subscription_instances(subscription_instance_id) ON DELETE CASCADE;


--
-- Name: subscription_instance_relations fk_subscription_instance_relations_in_use_by_id_subscri_0535; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instance_relations
    ADD CONSTRAINT fk_subscription_instance_relations_in_use_by_id_subscri_0535 FOREIGN KEY (in_use_by_id) REFERENCES public.subscription_instances(subscription_instance_id) ON DELETE CASCADE;


--
-- Name: subscription_instance_values fk_subscription_instance_values_resource_type_id_resource_types; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instance_values
    ADD CONSTRAINT fk_subscription_instance_values_resource_type_id_resource_types FOREIGN KEY (resource_type_id) REFERENCES public.resource_types(resource_type_id);


--
-- Name: subscription_instance_values fk_subscription_instance_values_subscription_instance_i_29ac; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instance_values
    ADD CONSTRAINT fk_subscription_instance_values_subscription_instance_i_29ac FOREIGN KEY (subscription_instance_id) REFERENCES public.subscription_instances(subscription_instance_id) ON DELETE CASCADE;


--
-- Name: subscription_instances fk_subscription_instances_product_block_id_product_blocks; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instances
    ADD CONSTRAINT fk_subscription_instances_product_block_id_product_blocks FOREIGN KEY (product_block_id) REFERENCES public.product_blocks(product_block_id);


--
-- Name: subscription_instances fk_subscription_instances_subscription_id_subscriptions; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_instances
    ADD CONSTRAINT fk_subscription_instances_subscription_id_subscriptions FOREIGN KEY (subscription_id) REFERENCES public.subscriptions(subscription_id) ON DELETE CASCADE;


--
-- Name: subscriptions fk_subscriptions_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscriptions
    ADD CONSTRAINT fk_subscriptions_product_id_products FOREIGN KEY (product_id) REFERENCES public.products(product_id);


--
-- PostgreSQL database dump complete
--

\unrestrict 7E2aZdMcnlouGfUmmhaNQ0diLj588Gy64IaYjTQAHvN50Uq8WzEfk27ZdljjzXH

