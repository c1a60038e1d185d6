// "/": send people where they belong: their last account, or sign-in.
import { useNavigate } from "@solidjs/router";
import { createEffect } from "solid-js";
import { useSession } from "../api/session";
import { Spinner } from "../ui/feedback";
import { homeOf } from "./sign-in";

export default function StartPage() {
	const { session } = useSession();
	const navigate = useNavigate();
	createEffect(() => {
		if (session.state !== "ready") return;
		const s = session();
		navigate(s ? homeOf(s) : "/signin", { replace: true });
	});
	return <Spinner />;
}
