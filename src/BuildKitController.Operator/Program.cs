// The controller process arrives with the controller issue; until then it only reports its version.
Console.WriteLine($"buildkit-controller {typeof(Program).Assembly.GetName().Version}: the controller process is not implemented yet.");
return 0;
