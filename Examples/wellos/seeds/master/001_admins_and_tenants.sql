INSERT INTO admin_users (email, name) VALUES ('admin@wellos.example', 'WellOS Admin');

INSERT INTO tenants (subdomain, name, database_name, subscription_tier) VALUES
    ('wellos', 'WellOS Internal', 'wellos_internal', 'enterprise'),
    ('demo', 'Demo Operator', 'demo_wellos', 'starter');
