import '@servicenow/sdk/global'

declare global {
    namespace Now {
        namespace Internal {
            interface Keys extends KeysRegistry {
                explicit: {
                    acl_app_import_create: {
                        table: 'sys_security_acl'
                        id: '512fcd79aace4a138c724d259996ef57'
                    }
                    acl_app_import_read: {
                        table: 'sys_security_acl'
                        id: '5ff17a9eea314d3288dbb1e3b924f9ba'
                    }
                    acl_device_import_create: {
                        table: 'sys_security_acl'
                        id: '88d801c2a47340a1bd6d845be4c5fc10'
                    }
                    acl_device_import_read: {
                        table: 'sys_security_acl'
                        id: '835d4fc6a0db4af98c08e4fb63b7a0b3'
                    }
                    acl_health_run_create: {
                        table: 'sys_security_acl'
                        id: '12919b3e172a4b7386b6201a3cafd6a0'
                    }
                    acl_health_run_delete: {
                        table: 'sys_security_acl'
                        id: '3762119f1a7f49eea6d9886ee27cd655'
                    }
                    acl_health_run_read: {
                        table: 'sys_security_acl'
                        id: 'cd0563624a8c47fd8b6592b387e48f7d'
                    }
                    acl_health_run_write: {
                        table: 'sys_security_acl'
                        id: '5def419b6bcd48d3b5e2bcaf79c5a8c8'
                    }
                    acl_mdm_read: {
                        table: 'sys_security_acl'
                        id: '9c1b4862f5484ad3a1c17709178f138f'
                    }
                    acl_rest_import_status: {
                        table: 'sys_security_acl'
                        id: 'a86c5f14606c453995ed8799b8ecf5be'
                    }
                    acl_rest_repair: {
                        table: 'sys_security_acl'
                        id: '9e569779494043e4b8536e5812fc5f19'
                    }
                    acl_rest_status: {
                        table: 'sys_security_acl'
                        id: 'ed12d7382a664f72b3975847b5eebb4a'
                    }
                    acl_rest_verify: {
                        table: 'sys_security_acl'
                        id: '1c203c2f57cb4b1c8034dce2cb21619b'
                    }
                    acl_software_read: {
                        table: 'sys_security_acl'
                        id: 'f95404a8c5164c5f9c82e8032324ec2c'
                    }
                    atf_device_import: {
                        table: 'sys_atf_test'
                        id: 'c404acc7948a4d2388cc81bca36f6df8'
                    }
                    atf_health_monitor: {
                        table: 'sys_atf_test'
                        id: '97d28bfabfab497aa1dd3dd7fd17e908'
                    }
                    atf_health_recorded: {
                        table: 'sys_atf_step'
                        id: '113ffc249a804504a79ada3bbfa3862d'
                    }
                    atf_health_run: {
                        table: 'sys_atf_step'
                        id: '564ee87b80cb4e6d91b7237f55f43088'
                    }
                    atf_import_ci: {
                        table: 'sys_atf_step'
                        id: 'fb4397350fc84aeab7e39a050eb85cbe'
                    }
                    atf_import_mdm: {
                        table: 'sys_atf_step'
                        id: '8c76387a1fe24c63966f18af0a6874d4'
                    }
                    atf_import_no_serial_error: {
                        table: 'sys_atf_step'
                        id: 'af3c18479b814de49a21157c22a2d72f'
                    }
                    atf_import_no_serial_send: {
                        table: 'sys_atf_step'
                        id: '409a899206c94e58b935912d2638a94f'
                    }
                    atf_import_send: {
                        table: 'sys_atf_step'
                        id: '2429e93fd88140d2896c36a30beb3c83'
                    }
                    atf_import_status: {
                        table: 'sys_atf_step'
                        id: '8d5da4a69f5641fca4cadc6920920b75'
                    }
                    atf_removed_ci: {
                        table: 'sys_atf_step'
                        id: '3f13382623384c7c9ca002535fbeda08'
                    }
                    atf_removed_device: {
                        table: 'sys_atf_test'
                        id: '61502c6a85ab4d3da975b9570fc5a4cd'
                    }
                    atf_removed_mdm: {
                        table: 'sys_atf_step'
                        id: 'b24fd7c18f8e43e89a69c620f7e758f4'
                    }
                    atf_removed_send: {
                        table: 'sys_atf_step'
                        id: '2da4635260284cdb89ba5ea803e3871e'
                    }
                    atf_removed_status: {
                        table: 'sys_atf_step'
                        id: 'db5d1d077f51401291e3da197b7fb47b'
                    }
                    atf_repair: {
                        table: 'sys_atf_test'
                        id: '20dd26bcef2047f6a1a626e763b96e4a'
                    }
                    atf_repair_changed: {
                        table: 'sys_atf_step'
                        id: '160448e6eb0646ac8aeedb39cc87ae02'
                    }
                    atf_repair_choice: {
                        table: 'sys_atf_step'
                        id: '2fa3ddbbc656467baaca83c495fec4ba'
                    }
                    atf_repair_send: {
                        table: 'sys_atf_step'
                        id: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                    }
                    atf_repair_status: {
                        table: 'sys_atf_step'
                        id: 'df32d587f0204c7287b0e6734ef36d02'
                    }
                    atf_status: {
                        table: 'sys_atf_test'
                        id: '2de2db9662204143b22f7ca8c0e0a878'
                    }
                    atf_status_cis: {
                        table: 'sys_atf_step'
                        id: '17af326dff3e4884943a8624d490ec88'
                    }
                    atf_status_generated: {
                        table: 'sys_atf_step'
                        id: '7b22fc172c92488693b72850009bd153'
                    }
                    atf_status_health: {
                        table: 'sys_atf_step'
                        id: 'b98a71f61ba1432a8d2542a610133cb1'
                    }
                    atf_status_imports: {
                        table: 'sys_atf_step'
                        id: 'b3cebcc0103d4aa589e19520e96b1648'
                    }
                    atf_status_send: {
                        table: 'sys_atf_step'
                        id: 'ff8822c72e854597a6a8a74ce6159509'
                    }
                    atf_status_status: {
                        table: 'sys_atf_step'
                        id: '3dec0e8bdf0243e7965cf92a3879040b'
                    }
                    atf_verify: {
                        table: 'sys_atf_test'
                        id: '100da14591d043aea75952571b6b6e31'
                    }
                    atf_verify_checks: {
                        table: 'sys_atf_step'
                        id: 'c9398a963da14e4aba9342657d0ba75e'
                    }
                    atf_verify_scope: {
                        table: 'sys_atf_step'
                        id: '82ff4ab5d07a49c48d805d7a83f2219d'
                    }
                    atf_verify_send: {
                        table: 'sys_atf_step'
                        id: '94737197d9b0430b99526d5aca45a55a'
                    }
                    atf_verify_status: {
                        table: 'sys_atf_step'
                        id: 'dfd43c4535254faf9425b23ae6735380'
                    }
                    atf_verify_status_field: {
                        table: 'sys_atf_step'
                        id: '620b975003ba42178ef3ba3fc3830354'
                    }
                    bom_json: {
                        table: 'sys_module'
                        id: '739b166aba0448b7984a665968620939'
                    }
                    cross_scope_choice_create: {
                        table: 'sys_scope_privilege'
                        id: 'd63a91b9907740c7b54837174a6fadb2'
                    }
                    cross_scope_choice_read: {
                        table: 'sys_scope_privilege'
                        id: '7032f7f9fdc44b6fa47f0ced5daf988b'
                    }
                    cross_scope_choice_write: {
                        table: 'sys_scope_privilege'
                        id: '3748b36ebb7e4f6692b5f21d9cdc5aab'
                    }
                    cross_scope_computer_read: {
                        table: 'sys_scope_privilege'
                        id: '42b6cc85dedc47ac80f8b9683d15297f'
                    }
                    cross_scope_dbObject_read: {
                        table: 'sys_scope_privilege'
                        id: 'eb83e7ba2c1c4869b326398041df2690'
                    }
                    cross_scope_fixScript_read: {
                        table: 'sys_scope_privilege'
                        id: 'c7ba7f2ba6b640e2a260c2f29dfaefce'
                    }
                    cross_scope_hardware_read: {
                        table: 'sys_scope_privilege'
                        id: 'a0df5f4ada47433e8194fc660f4ebd7f'
                    }
                    cross_scope_importSet_read: {
                        table: 'sys_scope_privilege'
                        id: '1d408b7525514df59876e96c5f71601d'
                    }
                    cross_scope_importSetRun_read: {
                        table: 'sys_scope_privilege'
                        id: '4ff74a0986984f2b81f714aeecbd84a4'
                    }
                    cross_scope_oauthEntity_read: {
                        table: 'sys_scope_privilege'
                        id: '53f2d1e95e8f4949a0e6ba8f01becc8f'
                    }
                    cross_scope_restInsertMultiple_read: {
                        table: 'sys_scope_privilege'
                        id: 'e57dd7b8661f4fdbb532985b4365a5e0'
                    }
                    cross_scope_role_read: {
                        table: 'sys_scope_privilege'
                        id: 'ebc2d5f2775147cf9bc392918cf72771'
                    }
                    cross_scope_scope_read: {
                        table: 'sys_scope_privilege'
                        id: '1797d920fade4d289891b81ed0e0af8c'
                    }
                    cross_scope_transformMap_read: {
                        table: 'sys_scope_privilege'
                        id: 'efc7f5d0317344049b986ace830fb122'
                    }
                    cross_scope_user_read: {
                        table: 'sys_scope_privilege'
                        id: '67980121581d428b9cef36661b5dd615'
                    }
                    cross_scope_userRole_read: {
                        table: 'sys_scope_privilege'
                        id: 'f9b24ea26e57497cbf28576c216308ca'
                    }
                    health_event: {
                        table: 'sysevent_register'
                        id: '03bfc0f1894f4a4598885978259b9498'
                    }
                    health_job: {
                        table: 'sysauto_script'
                        id: '8bc741adfdca4ccd9f875c71741e6210'
                    }
                    health_notification: {
                        table: 'sysevent_email_action'
                        id: '4ba5a1163f394f2f95ea32259d221551'
                    }
                    insert_multiple_app: {
                        table: 'sys_rest_insert_multiple'
                        id: '6b8d2a4fa1ac4ab18f9571d33921f3af'
                    }
                    insert_multiple_device: {
                        table: 'sys_rest_insert_multiple'
                        id: '909babde19ef47d882b501c807d6f6cb'
                    }
                    menu_kandji: {
                        table: 'sys_app_application'
                        id: '6e92bf1910994393880659f6cf4ffa70'
                    }
                    module_app_imports: {
                        table: 'sys_app_module'
                        id: 'f6c5cb2ce4534d20885ed77af4fb437a'
                    }
                    module_computers: {
                        table: 'sys_app_module'
                        id: '0a95c17d4a5948899c9b828a018a953f'
                    }
                    module_device_imports: {
                        table: 'sys_app_module'
                        id: 'f7dacdda67bc4c9e84baf1d435e51a14'
                    }
                    module_health: {
                        table: 'sys_app_module'
                        id: 'dfb26a374dc34c11955246d6b8d92ce6'
                    }
                    module_mdm: {
                        table: 'sys_app_module'
                        id: 'a7dc84ec129e4169ae4ad56497233f4c'
                    }
                    package_json: {
                        table: 'sys_module'
                        id: '94aa29338087433cba4164a2331eb0d8'
                    }
                    property_device_classes: {
                        table: 'sys_properties'
                        id: 'f72a212d3c14417f87040359f2c34e47'
                    }
                    property_health_error_rate_rows: {
                        table: 'sys_properties'
                        id: '5909867bc91a453583daa2691405aece'
                    }
                    property_health_interval: {
                        table: 'sys_properties'
                        id: '6153f71210904bf391ac6f7465ce296c'
                    }
                    property_health_max_error_rate: {
                        table: 'sys_properties'
                        id: 'dd150791edc94a3fa03a72c79ba04624'
                    }
                    property_health_max_pending: {
                        table: 'sys_properties'
                        id: 'e2b2b7e89c104db5b8c09efa4f319dec'
                    }
                    property_health_max_push_age: {
                        table: 'sys_properties'
                        id: '2731ff488e3e4784adebe2d586d31f13'
                    }
                    property_health_retention: {
                        table: 'sys_properties'
                        id: '4480ced0d52044dc86ae6c813a959dbb'
                    }
                    property_oauth_client: {
                        table: 'sys_properties'
                        id: '58f834ec81b54b1d9f0e930255a85d3f'
                    }
                    property_push_interval: {
                        table: 'sys_properties'
                        id: '0c8ff624f0ba4870b45e5fe0537edbfb'
                    }
                    property_retire_after_days: {
                        table: 'sys_properties'
                        id: 'd7507c38ea8a48d0bc8740a6df4412e3'
                    }
                    property_retire_dry_run: {
                        table: 'sys_properties'
                        id: '021f267e41fd4756b8b660c66e01fbfc'
                    }
                    property_service_account: {
                        table: 'sys_properties'
                        id: '1913c357830a419ea8ea98379d702a32'
                    }
                    property_user_match: {
                        table: 'sys_properties'
                        id: '14cb492f68474254a17cd9eac8ca054a'
                    }
                    rest_api_integration: {
                        table: 'sys_ws_definition'
                        id: '182323baa45643e2ba4a14ca03592513'
                    }
                    rest_route_import_status: {
                        table: 'sys_ws_operation'
                        id: '7da3abf631cc4779bd7b33f2ce853beb'
                    }
                    rest_route_repair: {
                        table: 'sys_ws_operation'
                        id: '748691362ef449b3a20584a525feb766'
                    }
                    rest_route_status: {
                        table: 'sys_ws_operation'
                        id: '4dba252808d34e68b93ce62d5434c937'
                    }
                    rest_route_verify: {
                        table: 'sys_ws_operation'
                        id: 'c57e313ec4c3490e9ac7a1f9f70c4992'
                    }
                    retirement_job: {
                        table: 'sysauto_script'
                        id: '3a40db6ee3bd493ba6d7775234420540'
                    }
                    script_include_kandji_devices: {
                        table: 'sys_script_include'
                        id: '47e061585a9c4ce1bfd5284d36e75064'
                    }
                    script_include_kandji_setup: {
                        table: 'sys_script_include'
                        id: 'be1a5729ca0045ca9b180c36a5949ff2'
                    }
                    setup_fix_script: {
                        table: 'sys_script_fix'
                        id: '9b03a51aa5ff43a6868f178834d80a2f'
                    }
                    src_server_devices_retirement_ts: {
                        table: 'sys_module'
                        id: '59d4c66dddd447f9b72db9e3ef826359'
                    }
                    src_server_entry_devices_ts: {
                        table: 'sys_module'
                        id: '8b36d235a4c04709b7c9849e8cab9d08'
                    }
                    src_server_entry_health_ts: {
                        table: 'sys_module'
                        id: '098f18b4e2cb4459b1e7508923af9567'
                    }
                    src_server_entry_import_ts: {
                        table: 'sys_module'
                        id: '87778e974b6046e9b3731eea6274c4f3'
                    }
                    src_server_entry_rest_ts: {
                        table: 'sys_module'
                        id: 'd53dfb2a8ae644d38a95aeb37f8f2a12'
                    }
                    src_server_entry_setup_ts: {
                        table: 'sys_module'
                        id: 'dee295d35071453bacc4226e2eccfecb'
                    }
                    src_server_generated_checks_checks_ts: {
                        table: 'sys_module'
                        id: 'ffc8c2227472433baa01627a1bc1a0d4'
                    }
                    'src_server_generated_checks_discovery-source_ts': {
                        table: 'sys_module'
                        id: '1f5a8f9b76be4a388d1256a0b0e0d5ee'
                    }
                    src_server_generated_checks_push_ts: {
                        table: 'sys_module'
                        id: '1eeb9110b5b84069b5897e21ec26c44f'
                    }
                    src_server_generated_checks_report_ts: {
                        table: 'sys_module'
                        id: 'e6c7d99ecec0494f854a4d77c3bb32fa'
                    }
                    src_server_generated_checks_snapshots_ts: {
                        table: 'sys_module'
                        id: 'e49fa0247d1e4f87b09d65c53fd0dcb5'
                    }
                    src_server_generated_contract_ts: {
                        table: 'sys_module'
                        id: '9b8e772070114b8a8e644296d9f8d916'
                    }
                    src_server_health_monitor_ts: {
                        table: 'sys_module'
                        id: '9e57415e633c4cb6adf0a194b180047d'
                    }
                    'src_server_import_app-transform_ts': {
                        table: 'sys_module'
                        id: '08c951e48ce245f9b09352b57fbdb1e6'
                    }
                    'src_server_import_ci-identity_ts': {
                        table: 'sys_module'
                        id: '6f7d3ce1bbb04700b17602c2470d7c7b'
                    }
                    'src_server_import_device-classes_ts': {
                        table: 'sys_module'
                        id: 'dee3e84093f44178a6ce37637c09f4d2'
                    }
                    'src_server_import_device-mapping_ts': {
                        table: 'sys_module'
                        id: 'b2b95a855b584d639b1bce3ee28beb8d'
                    }
                    'src_server_import_device-transform_ts': {
                        table: 'sys_module'
                        id: '2e5794ba56634c9f89589de0ce9cd2a5'
                    }
                    'src_server_import_ire-answer_ts': {
                        table: 'sys_module'
                        id: '927991c6cbb645e29db0383f1799bc71'
                    }
                    'src_server_import_row-outcome_ts': {
                        table: 'sys_module'
                        id: 'd676ac23e948427ba6012c5fb2e3dc65'
                    }
                    'src_server_import_user-match_ts': {
                        table: 'sys_module'
                        id: '8c6f500c84be4542a51b240bbf8f09f7'
                    }
                    src_server_import_values_ts: {
                        table: 'sys_module'
                        id: '8487af8e6c194254b321d155f0948743'
                    }
                    src_server_platform_glide_ts: {
                        table: 'sys_module'
                        id: '87798e3d54b043b98bf7d11d3b0dd6dc'
                    }
                    src_server_platform_types_ts: {
                        table: 'sys_module'
                        id: '3d5375aecfb64db0864b2905b3b5be2c'
                    }
                    src_server_rest_handlers_ts: {
                        table: 'sys_module'
                        id: '257e51a64bb84affa4228d650b0895cd'
                    }
                    'src_server_setup_discovery-source_ts': {
                        table: 'sys_module'
                        id: '9dc97c1b7ad346f28e1dda9594b165e4'
                    }
                    src_server_status_clock_ts: {
                        table: 'sys_module'
                        id: 'f58142ebe783451e9d382e0155eb0f12'
                    }
                    'src_server_status_import-status_ts': {
                        table: 'sys_module'
                        id: 'd777894f99cc44e985ee342db57e7a53'
                    }
                    'src_server_status_integration-status_ts': {
                        table: 'sys_module'
                        id: '954fe807207041418d572907fc2aea47'
                    }
                    'src_server_status_message-key_ts': {
                        table: 'sys_module'
                        id: '97d8897f705a451f8f34199212e8a02c'
                    }
                    src_server_verify_checks_ts: {
                        table: 'sys_module'
                        id: 'e9d213d370bb4111816dfcc771a91154'
                        deleted: true
                    }
                    src_server_verify_lookups_ts: {
                        table: 'sys_module'
                        id: 'a29c8b93e4b9498891eb94d4d06df5df'
                    }
                    src_server_verify_report_ts: {
                        table: 'sys_module'
                        id: '15d1102765b047d8b62bde4f7469a1d0'
                    }
                    src_server_verify_snapshots_ts: {
                        table: 'sys_module'
                        id: '503dd3db1ce1427cad481229f7cebf62'
                        deleted: true
                    }
                    src_server_verify_subject_ts: {
                        table: 'sys_module'
                        id: '6e0fea1da59146b480c577b8c538ccd8'
                    }
                    transform_app: {
                        table: 'sys_transform_map'
                        id: '949a5889ca694b3eb3d0c634044ac510'
                    }
                    transform_app_on_before: {
                        table: 'sys_transform_script'
                        id: '6ef54b2f14c54a22bf546e0c8afa3e5b'
                    }
                    transform_device: {
                        table: 'sys_transform_map'
                        id: 'f082aaf11d514dd297fef8da46988cb6'
                    }
                    transform_device_on_before: {
                        table: 'sys_transform_script'
                        id: 'd09da85a52b5418798b5c973e8a33c0b'
                    }
                }
                composite: [
                    {
                        table: 'sys_documentation'
                        id: '02d770c363f34e22a340c9a8eb85fbed'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'platform'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '04999c43374f43aeb7eb9953d7ebc157'
                        key: {
                            document_key: '620b975003ba42178ef3ba3fc3830354'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '059328e2b8174227ba56ad808d7c2c36'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '50bff9250b3222000b7da95e93673a9b'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '05bfa4e51a1e4742a7a6cac245ed6fcb'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'supplemental_build_version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '065500ae1d2e49e9b09c2e1b4d761c74'
                        key: {
                            document_key: '8c76387a1fe24c63966f18af0a6874d4'
                            variable: 'b86c0427531000109e02ddeeff7b1227'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '06854d1f8c764396bef89e76da5b4457'
                        key: {
                            document_key: 'c9398a963da14e4aba9342657d0ba75e'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '06937f680be4446e88e1a16bc6dcf79d'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'retired_reason'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '06e7f30883be48bfad65fb8792c65b25'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'processor'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '075c3cee44014b7585e74ac9e75579f5'
                        key: {
                            document_key: '17af326dff3e4884943a8624d490ec88'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '077edd0849634551a0bb746170ed8b2a'
                        key: {
                            document_key: '3dec0e8bdf0243e7965cf92a3879040b'
                            variable: '9f5f67709f132200ef4afa7dc67fcf94'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '08adcaf769074fad82e81cbf3f988098'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'processor'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '09335e9884754e3fa11ea84a7042fe4e'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'os_build'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '097a1b916e0943f5866417e26199de1c'
                        key: {
                            document_key: '3f13382623384c7c9ca002535fbeda08'
                            variable: '78b8d86b531000109e02ddeeff7b12f3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '0a438f0935d041099496ff44c0bc5848'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'failing_checks'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '0a5ef8a50d8948fcabd7ae9b98c7945b'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '50bff9250b3222000b7da95e93673a9b'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '0ae26c946063400a85133daa06c59d0e'
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'bundle_id'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '0b12a70e5c924a3dacdf5d92e97d4a2b'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '58408e250b3222000b7da95e93673a5c'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '0bd4342bc66541f791f73fa043763f72'
                        key: {
                            document_key: '8d5da4a69f5641fca4cadc6920920b75'
                            variable: '1d94cb1f3b8032000774229c93efc419'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '0c61c444395c491592098d8bbe1031c8'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'mac_address'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '0da0f6ca05cd4916abc5692eaa7726c8'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'NULL'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '0e8eb944100c4b7a94779681f3e8f643'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'blueprint_name'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '0eadf0c9392d4b0f8089af79a4979da6'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'summary'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '10a9ad63bf3a429aa130cd86b3deb8b0'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'ci'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '1170fa81c11941d287ce50a197f2caec'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'first_enrollment'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '122f0d3864db432aab5e414dd70657b8'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'publisher'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '124d24aa6bd24b1e9131ce8f7e5e77a9'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'NULL'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '130e90fc735d413895a337266913bae6'
                        key: {
                            sys_security_acl: '1c203c2f57cb4b1c8034dce2cb21619b'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '131635dfd1f541098b43b5f36bf04077'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'os_build'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '13d8c63fc08148db838de2b3fad9d247'
                        key: {
                            document_key: 'b98a71f61ba1432a8d2542a610133cb1'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '148fc6be8eaf49aaa64e249a62ab3bbd'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'platform'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '1493607dd25e453a8376d4ba1d980037'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '81e042650b3222000b7da95e93673aa2'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '151fbb38ccca40a4973f40795e6c5795'
                        key: {
                            document_key: 'b3cebcc0103d4aa589e19520e96b1648'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '158c61b525d14ba2a0402c3f2e9622b4'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'figures'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '16a627a4d391407da7e7c33dc9af4b33'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'filevault_enabled'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '172b566044fd49368a936bb79d5779b6'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'memory'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '17450783abde4b158999aff6757ec89c'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '191068d268a94006a216af3677a8f739'
                        key: {
                            sys_security_acl: '88d801c2a47340a1bd6d845be4c5fc10'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '1974475a099e48ae91613af7c60466ce'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '89ad06b543010210b6f9a0246bb8f2d7'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '19978208b7df48f883ccd5c4c81f85a6'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'serial_number'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '19ae3b1298c448d1bef334cfa837c2c8'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'serial_number'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '1b48b20d148a46d7bc209a49d2b231e7'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'device_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '1bcf4b525a9e44e59d50d977353ed65f'
                        key: {
                            document_key: 'db5d1d077f51401291e3da197b7fb47b'
                            variable: '9f5f67709f132200ef4afa7dc67fcf94'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '1ca8a94261c242e5b7f7f7219f2ae709'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'model_identifier'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '1ea0c7946b9541dba77ae4a3cc10684f'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: 'cec002650b3222000b7da95e93673aae'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '1ebd090c151647ac99a28ae1f3509183'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'first_enrollment'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '2044068943bc44289774f05cabc5107a'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'processor'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '22a4ae2dffd947399b43d0148bf4dc92'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'storage_capacity'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '236094311a894570b796a41216dc700e'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'agent_installed'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '26511e5d2d8a42ab965cb8281fb77261'
                        key: {
                            document_key: '8d5da4a69f5641fca4cadc6920920b75'
                            variable: '9f5f67709f132200ef4afa7dc67fcf94'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '26727a89d7fc43929409dbfbf1727d86'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'serial_number'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '27747a229e9e4e7e9c3834f76272ae4e'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'app_name'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '28e651d2cd874f6a87ee144ecc8f0432'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'serial_number'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '293440e901994e6cb87cceec1a354422'
                        key: {
                            document_key: '82ff4ab5d07a49c48d805d7a83f2219d'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '2b834e433d654bb3b18f7eba404e5fa3'
                        key: {
                            sys_security_acl: '3762119f1a7f49eea6d9886ee27cd655'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'ua_table_licensing_config'
                        id: '2ba9f2e299e3482d8b605a0a3b54692e'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '2cad04de14e149fcb561ac26fedfbcfc'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'NULL'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '2ce530f159974614bc54fe66195d283a'
                        key: {
                            sys_security_acl: 'cd0563624a8c47fd8b6592b387e48f7d'
                            sys_user_role: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '2d030c3d5a24436887e5a3f37f54e098'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '6cdd0ab543010210b6f9a0246bb8f2f2'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '2da0215c43a340f5b73970d218144724'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'platform'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '2e6c9fbc296b4e67bf065f8825060413'
                        key: {
                            document_key: 'b24fd7c18f8e43e89a69c620f7e758f4'
                            variable: 'b86c0427531000109e02ddeeff7b1227'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '2eb12b1203ab466ca63a1fc1e987d6a3'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'user_email'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '2f280338081046feb6a66e91c0c9a3c1'
                        key: {
                            document_key: '113ffc249a804504a79ada3bbfa3862d'
                            variable: '02fb0027531000109e02ddeeff7b120b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '30c0a13a3d394cb4bcc5bcca6804ae25'
                        key: {
                            document_key: 'fb4397350fc84aeab7e39a050eb85cbe'
                            variable: 'b86c0427531000109e02ddeeff7b1227'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '32915fed032740289852d323300d8cba'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '59877da10b3222000b7da95e93673a56'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '32b6363cc150441ca29c1d0d11788d1b'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: 'cec002650b3222000b7da95e93673aae'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '32d38f65d00c424eb430988ea4c520a3'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'model_identifier'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '336e35e1e20247db924c41f7be254ffc'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '81e042650b3222000b7da95e93673aa2'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '35f93fc32304485ebe3d24718f332f05'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'NULL'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3604bb27722d41db8da9dcbb87c5f88b'
                        key: {
                            document_key: '3dec0e8bdf0243e7965cf92a3879040b'
                            variable: '1d94cb1f3b8032000774229c93efc419'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '36aa0c75ec014f0d9673ed6b8769fb20'
                        key: {
                            document_key: '7b22fc172c92488693b72850009bd153'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '36fd0cb8e053438885180cbb8d6a4d91'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'status'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '371b880205d84cd89b01175f956aaa27'
                        key: {
                            document_key: 'dfd43c4535254faf9425b23ae6735380'
                            variable: '9f5f67709f132200ef4afa7dc67fcf94'
                        }
                    },
                    {
                        table: 'sys_db_object'
                        id: '371ec594e7f34d2a865d22d3b0b1a0d2'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '376e330e85294fbeb013da1a013a912b'
                        deleted: true
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'display_name'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3ad1f2b7e5244d8ea2973e747259628d'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: 'cec002650b3222000b7da95e93673aae'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '3ba2f2e4aac64bd8ab9a26108d20074b'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'mac_address'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '3ba4b5efcbc943ca9f3b553ae4d9759d'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'is_removed'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3c6e1483ac924687acab5765cdd24186'
                        key: {
                            document_key: '2fa3ddbbc656467baaca83c495fec4ba'
                            variable: '02fb0027531000109e02ddeeff7b120b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3d3df93555dd4817b3d4ecc0e1a12e95'
                        key: {
                            document_key: '113ffc249a804504a79ada3bbfa3862d'
                            variable: '78b8d86b531000109e02ddeeff7b12f3'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3e339db763404e75bf5f77e2b5e27c3f'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '81e042650b3222000b7da95e93673aa2'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '3e65dfc5f65443d18650f3225d00f32f'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'blueprint_name'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '3e7cf4ca895d48089683c73b860d1aeb'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'publisher'
                        }
                    },
                    {
                        table: 'sys_db_object'
                        id: '3e9e07eb47f244888ea91db553724b7b'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3eb64bd18df84f589240fb703755b1a0'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '81e042650b3222000b7da95e93673aa2'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '3ff774f9b0f1495bb2d38b12ff0dc7a9'
                        key: {
                            document_key: 'df32d587f0204c7287b0e6734ef36d02'
                            variable: '9f5f67709f132200ef4afa7dc67fcf94'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '428ee65876274ee981413c736f17847a'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'app_name'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '42c6f69b1d584981bf07959cfc9eadaf'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'user_email'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '42dd22febae64036bfbff7a6d3c3d015'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '89ad06b543010210b6f9a0246bb8f2d7'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '44bdda559db441f4b1aea5e91ea4039a'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'activation_lock_enabled'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '4518810ce1c24eb389cd5a8b39c4c277'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '58408e250b3222000b7da95e93673a5c'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '451998713e1f4bb2b88e56d72e6b695c'
                        key: {
                            document_key: '8c76387a1fe24c63966f18af0a6874d4'
                            variable: '02fb0027531000109e02ddeeff7b120b'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '45eeabd4f03e432ca18d31c0f0ca07b6'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'supplemental_os_version_extra'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '4a0f337076c84057a17b845699c0a3e1'
                        key: {
                            document_key: 'af3c18479b814de49a21157c22a2d72f'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '4a9d1130d84c4ed89bc00789957730dd'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'agent_version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '4aa504b6549e46bf8ceb150464819e9d'
                        key: {
                            document_key: '82ff4ab5d07a49c48d805d7a83f2219d'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '4b2581a529b3475790abdb9e1b15cdab'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'asset_tag'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '4c4b8d80df3f460b8bc22e50043e6e93'
                        key: {
                            document_key: 'af3c18479b814de49a21157c22a2d72f'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '4c7154a9371b45a8bf3bf1c2896c0994'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'mac_address'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '4d63f75a15594ebe97da1390586de00c'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'last_check_in'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '4e04ccd7117049ef945e18b564cee0b9'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'last_check_in'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '4e632fbd80ab412db63a98fb63333afd'
                        key: {
                            document_key: '7b22fc172c92488693b72850009bd153'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5036b25cd6d54f8e953c311d98bb237a'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '6cdd0ab543010210b6f9a0246bb8f2f2'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '50c4909d79064e1a8583a536e2280ba8'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'os_version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '536e5d57c4b04d3ebaa480b71ea824b4'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'device_name'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '53a6dd91b3a24451a397a7c852ba8ff3'
                        key: {
                            document_key: '8c76387a1fe24c63966f18af0a6874d4'
                            variable: '78b8d86b531000109e02ddeeff7b12f3'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '53bdb897009940558dc0b9b7d55e2075'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'supplemental_build_version'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '53e9fc7689ac4b54b954775e32e9e6e6'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'model'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '548c7a8847444bd39e484032c74985ab'
                        key: {
                            sys_security_acl: 'f95404a8c5164c5f9c82e8032324ec2c'
                            sys_user_role: {
                                id: '6c5f16f834ea49dfa34e264de1667e46'
                                key: {
                                    name: 'cmdb_read'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '54cf3e2663c743aeb959d5a33d672447'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'agent_version'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '563564f54da644c0b0791f162de572fc'
                        key: {
                            sys_security_acl: '12919b3e172a4b7386b6201a3cafd6a0'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '563a22d037754717ad03fb54ce3f8404'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: 'cec002650b3222000b7da95e93673aae'
                        }
                    },
                    {
                        table: 'sys_user_role'
                        id: '56a3da3925394838bead64583af5b137'
                        key: {
                            name: 'x_kandj_kandji.admin'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '56c55a0ef68543888856bb8fd35cf81b'
                        key: {
                            document_key: 'dfd43c4535254faf9425b23ae6735380'
                            variable: '1d94cb1f3b8032000774229c93efc419'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '56e354ef19e848cca69e1423039947ce'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'storage_available'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '59f50fbaa0044d25bd7837a4f25e3f07'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'device_id'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5a329db503e54b5f98b9f155a0a23bb5'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: 'cec002650b3222000b7da95e93673aae'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '5aeff9c0b37f469daa6a7b508f2aa37e'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'user_match'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5affd06ee3474f75bbb8949fa166f2de'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '020a6af09fd32200ef4afa7dc67fcfec'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '5bd3dbe963f346449eeba222be51613e'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'os_version'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5cfffc1039f64b528dc13197bf4d7560'
                        key: {
                            document_key: '3f13382623384c7c9ca002535fbeda08'
                            variable: 'b86c0427531000109e02ddeeff7b1227'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5d2285049b684e27bfbad62079f27fb9'
                        key: {
                            document_key: '564ee87b80cb4e6d91b7237f55f43088'
                            variable: '989d9e235324220002c6435723dc3484'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '5d97e0e0b0b5491bb827176344258a98'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'last_check_in'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5db33b8ddfe04a8c8def42ff42704ad9'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '89ad06b543010210b6f9a0246bb8f2d7'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '5e7696ed4caa44ed99951f32b614acd3'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'serial_number'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '5ef7e8f00d444e6780c0728c003bab5e'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'is_missing'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '5f8b8dce407d4a2db481390e5f9f11cb'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'asset_tag'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5fd62540f3304acdbdd05c0f249e5a5d'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '59877da10b3222000b7da95e93673a56'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '5ff2917c8830480fb3cc2d0c9b3efdbc'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: 'cec002650b3222000b7da95e93673aae'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '61fe0883223140d98e83a4454d084215'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'agent_installed'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '628abe656a484015986cd31ceda90150'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'version'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '64531a4c6f394ae78af1c7244977f3ba'
                        key: {
                            document_key: '160448e6eb0646ac8aeedb39cc87ae02'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '64988a5436a841bf829d2ddd82518007'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'model_identifier'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '64e8e310cd4d4509a5d84ed4a45e859e'
                        key: {
                            sys_security_acl: 'ed12d7382a664f72b3975847b5eebb4a'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '65f1eefb22b34fe994985fe0b684cb52'
                        key: {
                            document_key: '3f13382623384c7c9ca002535fbeda08'
                            variable: '02fb0027531000109e02ddeeff7b120b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '65f3984fe3104aa0a4c404788522cda2'
                        key: {
                            document_key: 'b3cebcc0103d4aa589e19520e96b1648'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '67211621cb2641058faed07a7157e933'
                        key: {
                            sys_security_acl: '5ff17a9eea314d3288dbb1e3b924f9ba'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '67a6214b71604ff19f62ba288c5662f2'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'storage_available'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '67f7cb956ee44838842148ef19dca9c0'
                        key: {
                            document_key: '17af326dff3e4884943a8624d490ec88'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '68f78fad32c242aeb432d41eb464c74f'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'device_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '69ebe12835c544829aee5f110d18359d'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '020a6af09fd32200ef4afa7dc67fcfec'
                        }
                    },
                    {
                        table: 'sys_db_object'
                        id: '6a7f3b1f1082422f84d596cfb4b03441'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '6c286d92b5ee408c9e4e6703a85be444'
                        key: {
                            document_key: '2fa3ddbbc656467baaca83c495fec4ba'
                            variable: '78b8d86b531000109e02ddeeff7b12f3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '6d1e70a0e4a742098649384d5e6afaee'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'storage_available'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '6ebf621a6a7745f6946a747d47265f96'
                        key: {
                            document_key: '564ee87b80cb4e6d91b7237f55f43088'
                            variable: '42f2564b73031300440211d8faf6a777'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '6f47b892c39040839dbbf8c11b1b00d8'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'memory'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '6f9cd769e35942aeb4bef20727c667fe'
                        key: {
                            document_key: '620b975003ba42178ef3ba3fc3830354'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '6fc2b225453a490abe220e7862f727f6'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'failing_checks'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '7213cc7df3664962821f666b08115599'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'device_id'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '722ab146335d41b09d743d76dbfbb9cb'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '58408e250b3222000b7da95e93673a5c'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '7260b626e5314ec8939932856778da9d'
                        key: {
                            map: 'f082aaf11d514dd297fef8da46988cb6'
                            target_field: 'serial_number'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '766d14fd97ae482c8fc9be6a0ff067fe'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'storage_capacity'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '76be11f788544fa596d66a763289994b'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'summary'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '78627e8f40c94a71b2f736805bc60a73'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'blueprint_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '78bb7267604146e1b804a27b646473c2'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'last_enrollment'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '792b1f23cb0c4b93a255bf8eaa04c71b'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'memory'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '79b5f32f4f0a48628e6279ebb9f6909e'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '50bff9250b3222000b7da95e93673a9b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '79ddd7691e6c44288b9e6f8bbe866627'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '50bff9250b3222000b7da95e93673a9b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '7a9979c9dae94eb68d6c99c28987b27e'
                        key: {
                            document_key: 'fb4397350fc84aeab7e39a050eb85cbe'
                            variable: '915990ab531000109e02ddeeff7b12f8'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '7b2550fa1c2c4e0690edb9895f6aac57'
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'version'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '7bd0089e26d247c1ad00c442fbb2741b'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'activation_lock_enabled'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '7c2d6b35ed5c40cba2d2fabf13b87308'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'ci'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '7ca21424f8cd4df9b7862a6ce232ec6a'
                        key: {
                            sys_security_acl: 'ed12d7382a664f72b3975847b5eebb4a'
                            sys_user_role: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '7d0d53202024471589ee1a9462b27a20'
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'serial_number'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '7dae673683f846b19e09c4b6cc06161b'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'device_id'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '7e731ecb0ff449268dc79905d8ff0212'
                        key: {
                            document_key: 'af3c18479b814de49a21157c22a2d72f'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '7e86427a44514a87bf959cbc8a3b5e5a'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'last_pushed'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '7e99e9a5c8494ee19c1ca89879889545'
                        key: {
                            sys_security_acl: 'a86c5f14606c453995ed8799b8ecf5be'
                            sys_user_role: {
                                id: '58502df9eb4b4986a3bb028768d0013b'
                                key: {
                                    name: 'import_transformer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '7ee0a140a4334df3abb9e419dfae9d11'
                        key: {
                            sys_security_acl: '9c1b4862f5484ad3a1c17709178f138f'
                            sys_user_role: {
                                id: '6c5f16f834ea49dfa34e264de1667e46'
                                key: {
                                    name: 'cmdb_read'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '7f1488ac20414b79a4db498e884d96f1'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'mdm_enabled'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '7fbf3d1221f840aa8f236062aae1ca87'
                        key: {
                            document_key: 'b3cebcc0103d4aa589e19520e96b1648'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '7ff2452b4d6b4028a7cdab20e1d7c165'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'blueprint_name'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '8014eaffdc3f489c9a8084f581768c37'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'software_install'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '802e7c2d170548da99a0d5e5cd870686'
                        deleted: true
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'installed_on'
                        }
                    },
                    {
                        table: 'ua_table_licensing_config'
                        id: '80774e6e7f624c378e6282edf7b5c1b2'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '81594a83710f4d179ef86500301cb3ba'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'os_build'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '825b240fa21b47feaa358a84153e4fe7'
                        key: {
                            sys_security_acl: '1c203c2f57cb4b1c8034dce2cb21619b'
                            sys_user_role: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_db_object'
                        id: '828b1c2385b04592afa818dfd718ddb2'
                        key: {
                            name: 'x_kandj_kandji_software'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '83b318b0b1484dc890adc762f46730b3'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '58408e250b3222000b7da95e93673a5c'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '83e60d14f34b4757b2acdc5c1bdffc71'
                        key: {
                            document_key: '620b975003ba42178ef3ba3fc3830354'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '85143c4fa626414788022ad6901e68c9'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'first_enrollment'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '851b494049bc400f9c982170b9ac613c'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '50bff9250b3222000b7da95e93673a9b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '881f637877b74eaeabf82c271cc6fb78'
                        key: {
                            document_key: '82ff4ab5d07a49c48d805d7a83f2219d'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '88510ebe4ac84152831156f4e9649a67'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'blueprint_id'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '89af86d7a1a1420eaaece99c2fbea19e'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'device_name'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '8d11c4c2e7b343d5baa6aa3d3e6aa7c7'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '6cdd0ab543010210b6f9a0246bb8f2f2'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '8d9929dc627142a280294aeceba3a3c8'
                        key: {
                            document_key: 'fb4397350fc84aeab7e39a050eb85cbe'
                            variable: '78b8d86b531000109e02ddeeff7b12f3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '8e1f84bf14e64184a549c40e4098bfe0'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'filevault_enabled'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '8ea51605e66c47d3b9c444707eac9f4d'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'memory'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '8f3c316e9d6c45e6b7d46bcb18bbe2c8'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'user_email'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '8f95d87ffa7345d0b6897dec58c2595b'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'last_enrollment'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '904a2421b7dd4dc0b434122cd61dbb8e'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'is_removed'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '915893dc79d8463b8578e4b917471e96'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'NULL'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '9165219ca82f4e6d9fa32587a3a12ad5'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'agent_version'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '91efcd4f289840da87deab70dfa049ed'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'ci'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '920eb5e2db804dfc8ebceb8c60d365fb'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'is_missing'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '92f1e7c4f2f341a99070c0802a41250b'
                        key: {
                            sys_security_acl: 'a86c5f14606c453995ed8799b8ecf5be'
                            sys_user_role: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '93ab9b67aaa64d5cadf2c17187789733'
                        key: {
                            document_key: 'fb4397350fc84aeab7e39a050eb85cbe'
                            variable: '02fb0027531000109e02ddeeff7b120b'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '93b2ac8040194e71a9159d6e6d4cf222'
                        key: {
                            sys_security_acl: '512fcd79aace4a138c724d259996ef57'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '940b45ed19dd48629339f63ab1da5e2b'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '58408e250b3222000b7da95e93673a5c'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '95b06bdc8e4c4425bb1f4cc1e9a4c968'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '81e042650b3222000b7da95e93673aa2'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '977a3e9a0a6740dbab30db95b9815ad2'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'filevault_enabled'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '99134e1467ad472d9b072120c5dc92f3'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'device_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '99372ac048ee4cecb1a777e43cbeaf73'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'serial_number'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '993e6849af3241a583a56b02d9cb051b'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'is_missing'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '99806d4fda644120b0bf29457c3f2073'
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'app_name'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '9a4c9f1233604d54a7097a8098285093'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'model_identifier'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '9af6b687267e4f1db7a817a9dfdf086d'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'NULL'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '9c578680aa544007afae1f3f972b6d4c'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'mdm_enabled'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: '9c6c1749a52846de8d1e3d83a8affa3c'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '50bff9250b3222000b7da95e93673a9b'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: '9c91769fe76247b89e33e3ae7f2ec7aa'
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'publisher'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: '9cce995309384aa1833077cf1962b25b'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'device_id'
                        }
                    },
                    {
                        table: 'sys_user_role_contains'
                        id: '9df68d25c88a4c9f97f64ef2b929ab3e'
                        key: {
                            role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                            contains: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '9fcf5a8362014d5597a8c80e4a08c8ad'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'NULL'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: '9fdc76c1f11f4d1ebf9b960dcf5b257b'
                        key: {
                            sys_security_acl: '9c1b4862f5484ad3a1c17709178f138f'
                            sys_user_role: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: '9ff54bede0ef457c8a33a5c28bff4710'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'a0bfcd205b6949f5aad68e3e52b451a6'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'is_removed'
                        }
                    },
                    {
                        table: 'ua_table_licensing_config'
                        id: 'a1afd5a94df54b9b855b4000619a34e1'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'a2c330e3648545ad93186a86b349574c'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'bundle_id'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'a37126d315c6498dabd5cce8785a0d26'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'is_missing'
                        }
                    },
                    {
                        table: 'sys_db_object'
                        id: 'a3dd9aed148d49068e79e6f9fbf17ce9'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'a3f5e69730c94413b310f2401af09559'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'supplemental_os_version_extra'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'a3f9234c6f7c44feab2feda41aa27582'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '89ad06b543010210b6f9a0246bb8f2d7'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'a448649ac315450cb50eee0c2a5ad479'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'device_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'a46cf533a127471cb56d4cb6f26079d7'
                        key: {
                            sys_security_acl: '835d4fc6a0db4af98c08e4fb63b7a0b3'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'a4eadd2cf88b45679fc8cb5e22e60539'
                        key: {
                            document_key: 'c9398a963da14e4aba9342657d0ba75e'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'a5419f6e652a4c148e843af74a41888f'
                        key: {
                            document_key: '113ffc249a804504a79ada3bbfa3862d'
                            variable: 'b86c0427531000109e02ddeeff7b1227'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'a629f8b41f874ef78d5114c7c2d32861'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'last_enrollment'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'a69a6983ca5e43529828b226ceba23f1'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'blueprint_name'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'a7a37976f0e942b7972231b9c1adc12b'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '89ad06b543010210b6f9a0246bb8f2d7'
                        }
                    },
                    {
                        table: 'ua_table_licensing_config'
                        id: 'aa25b289021a40d7affa8a2f1a95bf55'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                        }
                    },
                    {
                        table: 'sys_transform_entry'
                        id: 'ab3b60e19ab44f69a285834313b99e61'
                        key: {
                            map: '949a5889ca694b3eb3d0c634044ac510'
                            target_field: 'device_id'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'ab984ef10554417fb6f59301f541e58e'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'NULL'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'abab6a94447041559837113f10d62878'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'is_removed'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'abcc57eae37244b58145126d14652ecb'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'asset_tag'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'ac9823db8c9e4dbb8e0b7b395aa27980'
                        key: {
                            document_key: 'b25ca66c38cc4beb9acc42933ad8ad5c'
                            variable: '59877da10b3222000b7da95e93673a56'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'acd3c05a8a214350a93442dd85e33c76'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'asset_tag'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'ad0af2344e1f4a7e944e1fcdce69e829'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'storage_capacity'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'ad17738b20ae4feb9326735f330a7b2c'
                        key: {
                            document_key: 'db5d1d077f51401291e3da197b7fb47b'
                            variable: '1d94cb1f3b8032000774229c93efc419'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'ae0299125ee24bb2b29cf6a679119bb2'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'version'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'aeab02e907ff4a8da9e2341366e319d2'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'publisher'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'af40bc3d6de24705befec68ae01cb9b7'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '020a6af09fd32200ef4afa7dc67fcfec'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'af69b4973a0041afad36a18118517988'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'device_name'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'b05d517f9af742b2844fba8721fc3a92'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'install_path'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'b1771594ae4041f59ffccf5c2d58c848'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '89ad06b543010210b6f9a0246bb8f2d7'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'b1ad7ede66b9484bb5a48c67c0ab9001'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'mac_address'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'b1d97edb0a844eb69c3b2603fe5ec75c'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'user_name'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'b22f028982154f0f8ed541bdb77657fa'
                        key: {
                            sys_security_acl: 'cd0563624a8c47fd8b6592b387e48f7d'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'b302668e24934addb200ab8338c9ff1b'
                        key: {
                            document_key: '113ffc249a804504a79ada3bbfa3862d'
                            variable: '915990ab531000109e02ddeeff7b12f8'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'b30e8140a0824b2a900e0648b424a52c'
                        key: {
                            document_key: '17af326dff3e4884943a8624d490ec88'
                            variable: '7b139c199f132200ef4afa7dc67fcfb3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'b4d8854c98e3454fa9c960b683afe006'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'os_version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'b50b453099a64438bc126555b197908e'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'supplemental_os_version_extra'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'b5367962afea422f8e1108d49846c0eb'
                        key: {
                            document_key: 'b24fd7c18f8e43e89a69c620f7e758f4'
                            variable: '78b8d86b531000109e02ddeeff7b12f3'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'b5a32677456247dba1f3a4bc0b8aff5f'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'model'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'b6496ef48b054e379eb2a5a9aa3f46dd'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'processor'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'b6c1d44b280e4e82ba4e6f5a0ad8a2ae'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'bundle_id'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'b75881ea402942e4abdc2681a3cdaa60'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'publisher'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'b8e5c9f7ec204bafa1f414b038c2cdb1'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'user_name'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'b9a48892ee0645419fd71b1e53626324'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'NULL'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'ba12be82267f4365b752dba624f41274'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'supplemental_os_version_extra'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'bb5e6414f6f24059b7f1cac35f1c1ff3'
                        key: {
                            document_key: 'b98a71f61ba1432a8d2542a610133cb1'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'bbdd29f05d674765b9fad93eebf91355'
                        key: {
                            sys_security_acl: 'a86c5f14606c453995ed8799b8ecf5be'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'bcae906874c4460191d37ccd8e0d5e0c'
                        key: {
                            document_key: 'df32d587f0204c7287b0e6734ef36d02'
                            variable: '1d94cb1f3b8032000774229c93efc419'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'bcf945f301574856aea3701113f66864'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'mdm_enabled'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'bd6ebe0a71d94c59bfd955f2c6a1f665'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'blueprint_id'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'bdc3f310caf04b17b9a3ff9376fc81e5'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'os_version'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'be0edab80d8c418e975752962d43fa96'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'storage_capacity'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'be4d01992de64bcb92f51049125cc096'
                        key: {
                            document_key: 'ff8822c72e854597a6a8a74ce6159509'
                            variable: '6cdd0ab543010210b6f9a0246bb8f2f2'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'c0fac0010e2345febf3170c7a20c908c'
                        key: {
                            sys_security_acl: '5def419b6bcd48d3b5e2bcaf79c5a8c8'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'c1d5824874ae421aad141ff1706ffac6'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'retired_reason'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'c21daa7b68f548f5bcd9871d084f26cd'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '59877da10b3222000b7da95e93673a56'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'c278ecc9f5b64bcd8dbcc93798f267a4'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'model'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'c2b238208af4493db492e1e9fdd64350'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'storage_available'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'c3a253cae0154e1fb9481c70970a0c37'
                        key: {
                            document_key: '3f13382623384c7c9ca002535fbeda08'
                            variable: '915990ab531000109e02ddeeff7b12f8'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'c5b39738dcce4a1fbb49d4fb3b72fe3a'
                        key: {
                            document_key: 'b24fd7c18f8e43e89a69c620f7e758f4'
                            variable: '915990ab531000109e02ddeeff7b12f8'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'c8e5d2b2c7b740aab3eca1f250948b99'
                        key: {
                            document_key: '8c76387a1fe24c63966f18af0a6874d4'
                            variable: '915990ab531000109e02ddeeff7b12f8'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'cd6f6a866cf747b19d076b998724e36a'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '020a6af09fd32200ef4afa7dc67fcfec'
                        }
                    },
                    {
                        table: 'sys_user_role'
                        id: 'ce7b6673770645e19836de463122b9ab'
                        key: {
                            name: 'x_kandj_kandji.viewer'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'cef6e90ce210469ba331420f7fc6c108'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'model'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'd02ad91d72494bae809645fbf07ce084'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'supplemental_build_version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'd02dd87136b04f08a7e1cc85e25dda93'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'agent_installed'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'd1b16023f33a432681f6e1fb487043ce'
                        key: {
                            sys_security_acl: '88d801c2a47340a1bd6d845be4c5fc10'
                            sys_user_role: {
                                id: '58502df9eb4b4986a3bb028768d0013b'
                                key: {
                                    name: 'import_transformer'
                                }
                            }
                        }
                    },
                    {
                        table: 'ua_table_licensing_config'
                        id: 'd633b409e22f45dda2db95fb0fd5e416'
                        key: {
                            name: 'x_kandj_kandji_software'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'd69a3197c9ec42a4bdbac77d132be499'
                        key: {
                            document_key: '2fa3ddbbc656467baaca83c495fec4ba'
                            variable: 'b86c0427531000109e02ddeeff7b1227'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'd71c924db317481ea563a846e764189b'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'status'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'd7357cdcd3784b9e87215d44af6a3e6f'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '6cdd0ab543010210b6f9a0246bb8f2f2'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'd7460e3830cb4c199c7f5fde08205ca0'
                        key: {
                            document_key: '7b22fc172c92488693b72850009bd153'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'dcf022861b4848d59592479e22361865'
                        key: {
                            sys_security_acl: '512fcd79aace4a138c724d259996ef57'
                            sys_user_role: {
                                id: '58502df9eb4b4986a3bb028768d0013b'
                                key: {
                                    name: 'import_transformer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'df28300180a6429f9bb341bc7566374d'
                        key: {
                            document_key: '160448e6eb0646ac8aeedb39cc87ae02'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'df45ffbddb604d50b139c3370a5624f4'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'NULL'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'df74d9d05f204ec39abb3443b7d90ed7'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'blueprint_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'e0a169c64ba642ed8a5860113257d35f'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'last_check_in'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'e259bcb65d3040f49cfaa4a942d23999'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '81e042650b3222000b7da95e93673aa2'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'e3539fd324b74c17a49b9c5dc0792e26'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'bundle_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'e393cd7d0e054474b30fe0fbe9ddc7e8'
                        key: {
                            document_key: 'b24fd7c18f8e43e89a69c620f7e758f4'
                            variable: '02fb0027531000109e02ddeeff7b120b'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'e43d119b0a8446c8b189fa8a297d89d7'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '6cdd0ab543010210b6f9a0246bb8f2f2'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'e53680c96d5e4f6abb0149a86b3555d0'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'platform'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'e5d93c5208cb4c959261a73ae8a2f776'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'software_install'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'e6169e3dc24c4ed19af66ba61c3f72de'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'bundle_id'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'e70f614527a04b8989699ad57d914092'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'last_pushed'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'e77b332cbf5c42649229d132d2d5e081'
                        key: {
                            sys_security_acl: '9e569779494043e4b8536e5812fc5f19'
                            sys_user_role: {
                                id: '56a3da3925394838bead64583af5b137'
                                key: {
                                    name: 'x_kandj_kandji.admin'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'e81b178777774d1d8366ffb8275f1ba8'
                        key: {
                            document_key: '2fa3ddbbc656467baaca83c495fec4ba'
                            variable: '915990ab531000109e02ddeeff7b12f8'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'e833c56a952f4acaa1906afa103c1b80'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'agent_installed'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'eda23a123d1446aa9c1d330fe0f1be7c'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'mdm_enabled'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'ee0ce2dd071c47b6bec064c30d5f0cac'
                        key: {
                            name: 'x_kandj_kandji_health_run'
                            element: 'figures'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'ee1bc489d0aa45a38775d8510ffd887a'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'agent_version'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'eee9546b586241a2969767f3e9dcee99'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'app_name'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'ef57552de4e14792994395e1986051a7'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'activation_lock_enabled'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'ef9a849618bf471e9be87bd1fe189b3a'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'serial_number'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'f1af75e3b9824889af6870236b6dc571'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'supplemental_build_version'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'f2c00f390d654a4194503db2a79865f6'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'activation_lock_enabled'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'f31d8cda26f94d2183ec098d3c3eb9ab'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'device_name'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'f3e3f3ba8c6d4819bf95df31cf54d779'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'install_path'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_security_acl_role'
                        id: 'f4a93fabc6ca433e9982d2a441a79a0b'
                        key: {
                            sys_security_acl: 'f95404a8c5164c5f9c82e8032324ec2c'
                            sys_user_role: {
                                id: 'ce7b6673770645e19836de463122b9ab'
                                key: {
                                    name: 'x_kandj_kandji.viewer'
                                }
                            }
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'f5367c1317d241d497107d0cbfedc498'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'ci'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'f574f5a8ca194f20ac63c737bf092d1d'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '59877da10b3222000b7da95e93673a56'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'f586f74c6155463686cda0caff0ffbd4'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'filevault_enabled'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'f5fec5f4afb644f3aad93c01d75a3aa6'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'os_build'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'f6e3a4b3e52e40f9b3b419a0f4f46504'
                        key: {
                            document_key: '2da4635260284cdb89ba5ea803e3871e'
                            variable: '020a6af09fd32200ef4afa7dc67fcfec'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'f94c76f6d78f48739bfda7411dffc87a'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'user_email'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'f9602d64cf894b9b8afae33a309524ce'
                        key: {
                            document_key: 'b98a71f61ba1432a8d2542a610133cb1'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'f9b5e6aa984d49b1bee8fe12fbc8b743'
                        key: {
                            document_key: '409a899206c94e58b935912d2638a94f'
                            variable: '020a6af09fd32200ef4afa7dc67fcfec'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'f9fb170811a14e22a10cb35923cab7a2'
                        key: {
                            document_key: '160448e6eb0646ac8aeedb39cc87ae02'
                            variable: '5a9258199f132200ef4afa7dc67fcfb4'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'fb4eeb35ea0a45bcbd2354ddc62c8a92'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'last_enrollment'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'fc243cafe3bb4352b72ddfe2993c34d0'
                        key: {
                            name: 'x_kandj_kandji_device_import'
                            element: 'first_enrollment'
                            language: 'en'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'fc56243376a64e519323043b9bbb4394'
                        key: {
                            document_key: 'c9398a963da14e4aba9342657d0ba75e'
                            variable: '2db298199f132200ef4afa7dc67fcfbc'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'fde19648f20f4a70be329c4822316da4'
                        key: {
                            document_key: '2429e93fd88140d2896c36a30beb3c83'
                            variable: '58408e250b3222000b7da95e93673a5c'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'fe14ace2583c4f8e953a9aae54807201'
                        key: {
                            name: 'x_kandj_kandji_mdm'
                            element: 'user_match'
                        }
                    },
                    {
                        table: 'sys_dictionary'
                        id: 'fe2f6fabc1a14613a7caa5b84d91dd39'
                        key: {
                            name: 'x_kandj_kandji_app_import'
                            element: 'serial_number'
                        }
                    },
                    {
                        table: 'sys_variable_value'
                        id: 'fe90c5a42a0f4f39a7e6e8efe781da1e'
                        key: {
                            document_key: '94737197d9b0430b99526d5aca45a55a'
                            variable: '59877da10b3222000b7da95e93673a56'
                        }
                    },
                    {
                        table: 'sys_documentation'
                        id: 'fed8b367b3874ba99d2ebf207e73fead'
                        key: {
                            name: 'x_kandj_kandji_software'
                            element: 'app_name'
                            language: 'en'
                        }
                    },
                ]
            }
        }
    }
}
