// Contender 2: the official AWSGuard pack with every policy on, served by @pulumi/policy.
"use strict";
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({ all: "mandatory" });
