using System.CommandLine;

var root = new RootCommand("HyperSwarm: image classifiers whose hyperparameters tune themselves.");
return root.Parse(args).Invoke();
