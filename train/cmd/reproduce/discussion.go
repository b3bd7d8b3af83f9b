package main

// discussion is the report's hand-written section: where and why the reproduction
// differs from the paper, from the runs committed in results/ (rewrite it when they change).
const discussion = `## Where we differ from the paper, and why we think so

(to be written from the committed runs)

`
