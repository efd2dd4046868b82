DROP TABLE issue_activities;
