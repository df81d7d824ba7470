// The controller process arrives with the gateway issue; until then it only reports its version.
Console.WriteLine($"buildkit-gateway {typeof(Program).Assembly.GetName().Version}: the gateway process is not implemented yet.");
return 0;
